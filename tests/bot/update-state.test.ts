import type { MiddlewareFn } from "telegraf";
import { beforeAll, describe, expect, it } from "vitest";
import type { BotContext } from "../../bot/context.js";
import { updateState } from "../../bot/middlewares/update-state.js";
import { sessionKey } from "../../bot/session.js";
import { createUpdateClaims } from "../../bot/update-claims.js";
import { botSessions, type User } from "../../drizzle/schema/index.js";
import type { ContextFactory } from "../../server/domain/build-context.js";
import { createTicket } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { silentLogger } from "../jobs/outbox-harness.js";

/**
 * The state every update starts from, read in one statement: for a plain private
 * message it also brings the facts of the ticket the session replies to, so the
 * reply needs no read of its own; for anything else, and for a session that names
 * no ticket (or garbage), none.
 */
const STAFF_CHAT = -1002000;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
let w: World;
let run: (update: object) => Promise<BotContext>;
beforeAll(async () => {
  w = world();
  const middleware = updateState({
    db: w.db,
    i18n: await createI18n("fa"),
    contexts: { forUser: (user) => w.ctx(user as User) } as ContextFactory,
    defaultLanguage: "fa",
    claims: createUpdateClaims(w.db, silentLogger),
  }) as MiddlewareFn<BotContext>;
  // As Telegraf's context presents an update to a middleware.
  run = async (update) => {
    const u = update as {
      message?: BotContext["message"];
      callback_query?: { from: unknown; message: unknown };
    };
    const message = u.message ?? (u.callback_query?.message as BotContext["message"]);
    const ctx = {
      update,
      message: u.message,
      callbackQuery: u.callback_query,
      from: u.message?.from ?? u.callback_query?.from,
      chat: (message as { chat: unknown } | undefined)?.chat,
    } as unknown as BotContext;
    let seen: BotContext | undefined;
    await middleware(ctx, async () => {
      seen = ctx;
    });
    if (!seen) throw new Error("the middleware did not call the handlers");
    return seen;
  };
});

async function requesterReplyingTo(replyTo: unknown) {
  const requester = await w.user("requester", { language: "en", languageChosen: true });
  const tg = tgUser(requester.telegramId, "en");
  const ticket = await createTicket({
    ctx: w.ctx(requester),
    input: { title: "Projector", categoryId: await w.categoryId() },
  });
  // The session of someone who tapped Reply: the reply conversation (a scene) is running.
  const state = { replyTo: replyTo === "ticket" ? ticket.id : replyTo, number: ticket.number };
  const data = { __scenes: { current: "reply-to-ticket", state } };
  await w.db.insert(botSessions).values({ key: sessionKey(tg.id, tg.id), data });
  return { requester, tg, ticket };
}

const replyToOf = (ctx: BotContext) => (ctx.session.__scenes?.state as { replyTo?: string })?.replyTo;

describe("the update's state", () => {
  it("brings the facts of the session's ticket with a plain private message", async () => {
    const { requester, tg, ticket } = await requesterReplyingTo("ticket");
    const ctx = await run(updates.text(tg, "It still flickers"));
    expect(replyToOf(ctx)).toBe(ticket.id);
    expect(ctx.replyFacts).toMatchObject({
      ticket: { id: ticket.id, number: ticket.number, requesterId: requester.id },
      requester: { id: requester.id, telegramId: tg.id },
      assignee: null,
      staffChat: STAFF_CHAT,
    });
    expect(ctx.replyFacts?.ticket.createdAt).toBeInstanceOf(Date);
  });

  it("brings none for a command or a button, though the session names a ticket", async () => {
    const { tg, ticket } = await requesterReplyingTo("ticket");
    const command = await run(updates.text(tg, "/my"));
    expect(replyToOf(command)).toBe(ticket.id);
    expect(command.replyFacts).toBeNull();
    expect((await run(updates.callback(tg, "x"))).replyFacts).toBeNull();
  });

  it("brings none, and fails nothing, when the session's ticket is garbage or gone", async () => {
    for (const replyTo of ["not-a-ticket", "00000000-0000-4000-8000-000000000000", 42]) {
      const { tg } = await requesterReplyingTo(replyTo);
      const ctx = await run(updates.text(tg, "Hello?"));
      expect(ctx.replyFacts).toBeNull();
      expect(ctx.user.telegramId).toBe(tg.id);
    }
  });
});
