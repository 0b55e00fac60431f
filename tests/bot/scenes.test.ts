import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { botSessions, messages, tickets, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { harnessBot, setupBot } from "./bot-harness.js";

/**
 * The conversations are Telegraf scenes over the database session: they survive a
 * restart, can always be left, expire when left alone, and refuse stale buttons
 * and states they can no longer read.
 */
const STAFF_CHAT = -1004000;
const world = setupTestWorld();
const botWorld = setupBot(world, STAFF_CHAT);
let w: World;
let t: (key: string, vars?: Record<string, unknown>) => string;
beforeAll(async () => {
  w = world();
  t = (await createI18n("fa")).getFixedT("en", "bot");
});

let nextId = 760_000;
async function requesterWithTicket() {
  const tg = tgUser(nextId++, "en");
  await botWorld().send(updates.text(tg, "/help"));
  const [user] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
  const ticket = await createTicket({
    ctx: w.ctx(user),
    input: { title: "Printer jams", categoryId: await w.categoryId() },
  });
  return { tg, user, ticket };
}
const threadOf = async (ticketId: string) =>
  (await w.db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.seq))).map(
    (m) => m.body,
  );
const lastText = (tg: TgUser) => botWorld().textsTo(tg.id).at(-1) ?? "";
const sessionOf = async (tg: TgUser) =>
  (
    await w.db
      .select()
      .from(botSessions)
      .where(eq(botSessions.key, `${tg.id}:${tg.id}`))
  )[0]?.data as
    | { __scenes?: { current?: string; expires?: number; state?: Record<string, unknown> } }
    | undefined;
const ticketsOf = async (tg: TgUser) => {
  const [user] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
  return w.db.select().from(tickets).where(eq(tickets.requesterId, user.id));
};
const replyButton = (ticketId: string) => `reply:${ticketId.replaceAll("-", "")}`;

describe("a restart in the middle of a conversation", () => {
  it("keeps replying into the ticket after Reply, on a new bot instance", async () => {
    const { send, fake } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.callback(tg, replyButton(ticket.id)));
    expect(lastText(tg)).toBe(t("reply.prompt", { number: ticket.number }));

    const fresh = await harnessBot(w, fake, STAFF_CHAT);
    await fresh.handleUpdate(updates.text(tg, "Still jamming after the restart") as never);
    expect(await threadOf(ticket.id)).toEqual(["Still jamming after the restart"]);
    await drainAll(await deliveryWorker(w.db, fake), w.db);
    expect(lastText(tg)).toContain(`Added to ${ticket.number}`);
  });

  it("does not write the session back for a reply that leaves it as it was", async () => {
    const { send } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.callback(tg, replyButton(ticket.id)));
    const stored = async () =>
      (
        await w.db
          .select()
          .from(botSessions)
          .where(eq(botSessions.key, `${tg.id}:${tg.id}`))
      )[0];
    const before = await stored();
    expect(before).toBeDefined();
    // The database hands the session back with its keys in its own order: still the same session.
    await w.db
      .update(botSessions)
      .set({ updatedAt: new Date("2020-01-01T00:00:00Z") })
      .where(eq(botSessions.key, before.key));
    await send(updates.text(tg, "One more detail"));
    await send(updates.text(tg, "And another"));
    expect(await threadOf(ticket.id)).toEqual(["One more detail", "And another"]);
    expect((await stored()).updatedAt.toISOString()).toBe("2020-01-01T00:00:00.000Z");
  });

  it("answers the add-or-new question asked by an instance that is gone", async () => {
    const { send, lastButtons, fake } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.text(tg, "Is anyone looking at this?"));
    const into = lastButtons(tg.id).find((b) => b.startsWith("into:"));
    expect(into).toBeDefined();

    const fresh = await harnessBot(w, fake, STAFF_CHAT);
    await fresh.handleUpdate(updates.callback(tg, into as string) as never);
    expect(await threadOf(ticket.id)).toEqual(["Is anyone looking at this?"]);
  });
});

describe("leaving a conversation", () => {
  it("/my in the middle of /new leaves it: the next text is no ticket title", async () => {
    const { send, lastButtons } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.text(tg, "/new"));
    await send(updates.callback(tg, lastButtons(tg.id).find((b) => b.startsWith("cat:")) as string));
    expect(lastText(tg)).toContain(t("new.ask_title").split("\n")[0]);
    await send(updates.text(tg, "/my"));
    expect(lastText(tg)).toBe(t("my.title", { page: 1 }));
    await send(updates.text(tg, "Monitor is dead"));
    // Treated as a loose message: asked about, not taken as the title.
    expect(lastText(tg)).toBe(t("reply.which", { number: ticket.number }));
    expect(await ticketsOf(tg)).toHaveLength(1);
  });

  it("/track and a deep link leave the reply conversation and show the card", async () => {
    const { send } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.callback(tg, replyButton(ticket.id)));
    await send(updates.text(tg, `/track ${ticket.number}`));
    expect(lastText(tg)).toContain(ticket.number);
    expect((await sessionOf(tg))?.__scenes?.current).toBeUndefined();
    await send(updates.callback(tg, replyButton(ticket.id)));
    await send(updates.text(tg, `/start t_${ticket.number}`));
    expect(lastText(tg)).toContain("Printer jams");
    await send(updates.text(tg, "A loose line"));
    expect(await threadOf(ticket.id)).toEqual([]);
    expect(lastText(tg)).toBe(t("reply.which", { number: ticket.number }));
  });

  it("/cancel ends the reply conversation; a second /cancel has nothing to cancel", async () => {
    const { send } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.callback(tg, replyButton(ticket.id)));
    await send(updates.text(tg, "/cancel"));
    expect(lastText(tg)).toBe(t("cancelled"));
    await send(updates.text(tg, "/cancel"));
    expect(lastText(tg)).toBe(t("nothing_to_cancel"));
    expect(await sessionOf(tg)).toBeUndefined();
  });
});

describe("a conversation left alone", () => {
  it("expires after 24 hours: the next message is treated as new", async () => {
    const { send, lastButtons } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.text(tg, "/new"));
    await send(updates.callback(tg, lastButtons(tg.id).find((b) => b.startsWith("cat:")) as string));
    const stored = await sessionOf(tg);
    const expires = stored?.__scenes?.expires ?? 0;
    const now = Date.now() / 1000;
    expect(expires).toBeGreaterThan(now + 23 * 3600);
    expect(expires).toBeLessThanOrEqual(now + 24 * 3600 + 1);
    // A day passes without a word.
    const dayAgo = { ...stored, __scenes: { ...stored?.__scenes, expires: Math.floor(now) - 1 } };
    await w.db
      .update(botSessions)
      .set({ data: dayAgo })
      .where(eq(botSessions.key, `${tg.id}:${tg.id}`));
    await send(updates.text(tg, "Scanner offline"));
    expect(lastText(tg)).toBe(t("reply.which", { number: ticket.number }));
    expect((await sessionOf(tg))?.__scenes?.current).toBe("add-or-new");
  });

  it("lives on while it is used", async () => {
    const { send, lastButtons } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/new"));
    await send(updates.callback(tg, lastButtons(tg.id).find((b) => b.startsWith("cat:")) as string));
    const stored = await sessionOf(tg);
    // Entered 23 hours ago, and answered now: a full day from now again.
    const old = Math.floor(Date.now() / 1000) + 3600;
    const entered = { ...stored, __scenes: { ...stored?.__scenes, expires: old } };
    await w.db
      .update(botSessions)
      .set({ data: entered })
      .where(eq(botSessions.key, `${tg.id}:${tg.id}`));
    await send(updates.text(tg, "Scanner offline"));
    expect(lastText(tg)).toContain(t("new.ask_description").split("\n")[0]);
    expect((await sessionOf(tg))?.__scenes?.expires).toBeGreaterThan(old + 22 * 3600);
  });
});

describe("stale buttons and states", () => {
  it("answers a Back from an earlier step's message, and does not go back", async () => {
    const { send, lastButtons, fake } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/new"));
    await send(updates.callback(tg, lastButtons(tg.id).find((b) => b.startsWith("cat:")) as string));
    const backFromTitle = lastButtons(tg.id).find((b) => b.startsWith("nav:back:"));
    expect(backFromTitle).toBe("nav:back:title");
    await send(updates.text(tg, "Scanner offline"));
    const shown = botWorld().textsTo(tg.id).length;
    await send(updates.callback(tg, backFromTitle as string));
    expect(String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toBe(t("stale_button"));
    expect(botWorld().textsTo(tg.id)).toHaveLength(shown);
    // A category button from step 1 is stale at step 3 too.
    await send(updates.callback(tg, `cat:${(await w.categoryId()).replaceAll("-", "")}`));
    expect(String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toBe(t("stale_button"));
    await send(updates.callback(tg, "flow:skip"));
    expect(lastText(tg)).toContain(t("new.ask_attachments", { mb: 10 }).split("\n")[0]);
  });

  it("ends a conversation whose stored state it cannot read, with a notice", async () => {
    const { send } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.callback(tg, replyButton(ticket.id)));
    const outdated = { __scenes: { current: "reply-to-ticket", state: { ticket: 42 } } };
    await w.db
      .update(botSessions)
      .set({ data: outdated })
      .where(eq(botSessions.key, `${tg.id}:${tg.id}`));
    await send(updates.text(tg, "Hello?"));
    expect(lastText(tg)).toBe(t("scene_outdated"));
    expect(await sessionOf(tg)).toBeUndefined();
    expect(await threadOf(ticket.id)).toEqual([]);
  });
});

describe("sessions from before the scenes", () => {
  it("continue a half-written ticket at its step", async () => {
    const { send } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/help"));
    const draft = { step: "description", key: `legacy:${tg.id}`, categoryId: await w.categoryId() };
    const legacy = { newTicket: { ...draft, title: "Old draft title", files: [] } };
    await w.db.insert(botSessions).values({ key: `${tg.id}:${tg.id}`, data: legacy });
    await send(updates.text(tg, "Written before the update"));
    expect(lastText(tg)).toContain(t("new.ask_attachments", { mb: 10 }).split("\n")[0]);
    await send(updates.callback(tg, "flow:skip"));
    await send(updates.callback(tg, "pri:low"));
    await send(updates.callback(tg, "flow:confirm"));
    expect((await ticketsOf(tg)).map((k) => [k.title, k.description])).toEqual([
      ["Old draft title", "Written before the update"],
    ]);
  });
});
