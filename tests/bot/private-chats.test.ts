import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, notifications, users } from "../../drizzle/schema/index.js";
import { addTicketMessage, assignTicket, createTicket, markBotBlocked } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import {
  deliveryWorker,
  drainAll,
  outboxWorker,
  RELAXED_LIMITS,
  telegramDeliverer,
} from "../jobs/outbox-harness.js";
import { openTicketAs, setupBot } from "./bot-harness.js";

/** Private chats seen from the staff side: a requester who blocks the bot, an assignee who answers in private. */
const STAFF = -1004300;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 530_000;
const requesterWithTicket = (title: string) => openTicketAs(botWorld(), w, tgUser(nextId++, "en"), title);

describe("a requester who blocks the bot", () => {
  it("is flagged, staff hear of it on each open ticket's card and in the chat, and again when they come back", async () => {
    const { send, fake, textsTo } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const { requesterTg, requester, ticket } = await requesterWithTicket("Locker key lost");
    const second = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Locker key found", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);

    await send(updates.blocked(requesterTg, true));
    await send(updates.blocked(requesterTg, true)); // Telegram repeating itself changes nothing
    await drainAll(worker, w.db);
    const [flagged] = await w.db.select().from(users).where(eq(users.id, requester.id));
    expect(flagged.botBlocked).toBe(true);
    // A note per open ticket, and each card edited to carry the warning (in the staff language, fa).
    const fa = (await createI18n("fa")).getFixedT("fa", "notify");
    for (const t of [ticket, second])
      expect(textsTo(STAFF).filter((x) => x === fa("requester_left", { number: t.number }))).toHaveLength(1);
    const card = fake
      .callsOf("editMessageText")
      .filter((c) => Number(c.params.chat_id) === STAFF)
      .at(-1);
    expect(String(card?.params.text)).toContain(fa("requester_blocked"));

    await send(updates.blocked(requesterTg, false));
    await drainAll(worker, w.db);
    for (const t of [ticket, second])
      expect(textsTo(STAFF)).toContain(fa("requester_back", { number: t.number }));
  });

  it("is also noticed when Telegram refuses a message to them with 403", async () => {
    const { fake, textsTo } = botWorld();
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fake), {
      limits: RELAXED_LIMITS,
      onBlocked: (telegramId) => markBotBlocked({ ctx: w.system(), input: { telegramId, blocked: true } }),
    });
    const { requesterTg, requester, ticket } = await requesterWithTicket("Projector bulb");
    const agent = await w.user("agent");
    await drainAll(worker, w.db);
    fake.failNext("sendMessage", FAILURES.blocked(), { chatId: requesterTg.id });
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: ticket.id, body: "On our way" } });
    await drainAll(worker, w.db);
    const [flagged] = await w.db.select().from(users).where(eq(users.id, requester.id));
    expect(flagged.botBlocked).toBe(true);
    const fa = (await createI18n("fa")).getFixedT("fa", "notify");
    expect(textsTo(STAFF)).toContain(fa("requester_left", { number: ticket.number }));
  });
});

describe("an assignee answering in their private chat", () => {
  it("keeps a reply to a note's notification internal, while a reply to the requester's message goes to them", async () => {
    const { send, fake, textsTo } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const { requesterTg, requester, ticket } = await requesterWithTicket("Discount question");
    const agentTg = tgUser(nextId++, "en");
    await send(updates.text(agentTg, "/help"));
    const [agent] = await w.db
      .update(users)
      .set({ role: "agent" })
      .where(eq(users.telegramId, agentTg.id))
      .returning();
    const moderator = await w.user("moderator");
    await assignTicket({ ctx: w.ctx(moderator), input: { ticketId: ticket.id, assigneeId: agent.id } });
    const note = await addTicketMessage({
      ctx: w.ctx(moderator),
      input: { ticketId: ticket.id, body: "Give the staff discount", internal: true },
    });
    const question = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, body: "Any news?" },
    });
    await drainAll(worker, w.db);
    // The copies the assignee got, as the outbox recorded them.
    const copyOf = async (messageId: string) => {
      const [row] = await w.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.chatId, agentTg.id), eq(notifications.messageId, messageId)));
      return row.sentMessageId ?? 0;
    };
    const replyTo = (id: number) => ({
      reply_to_message: { message_id: id, date: 0, chat: { id: agentTg.id, type: "private" } },
    });

    await send(updates.text(agentTg, "ok, code STAFF10", replyTo(await copyOf(note.message.id))));
    await drainAll(worker, w.db); // the answer goes through the outbox
    expect(textsTo(agentTg.id).at(-1)).toContain("Internal note saved");
    await send(updates.text(agentTg, "We are checking", replyTo(await copyOf(question.message.id))));
    await drainAll(worker, w.db);
    const toRequester = textsTo(requesterTg.id).join("\n");
    expect(toRequester).toContain("We are checking");
    expect(toRequester).not.toContain("STAFF10");
    const stored = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(stored.find((m) => m.body === "ok, code STAFF10")?.isInternal).toBe(true);
  });
});
