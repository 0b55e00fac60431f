import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { botCalls, deliveryChats, notifications, type User } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import {
  drainAll,
  outboxWorker,
  RELAXED_LIMITS,
  setupFakeTelegram,
  telegramDeliverer,
} from "./outbox-harness.js";

/**
 * The live lane (docs/NOTIFICATIONS.md): a message of a live chat relayed to the
 * other side is claimed before a backlog of other chats' rows, which a plain
 * private chat waits behind (the claim serves private chats oldest first).
 */
const world = setupTestWorld({ staffChatId: null });
const fakeTelegram = setupFakeTelegram();
let w: World;
let requester: User;
let operator: User;
let liveTicket: string;
let plainTicket: string;

beforeAll(async () => {
  w = world();
  const { createTicket, assignTicket } = await import("../../server/domain/index.js");
  requester = await w.user("requester");
  operator = await w.user("agent");
  const categoryId = await w.categoryId();
  const open = async (channel: "live" | "ticket") => {
    const t = await createTicket({
      ctx: w.system(),
      input: { title: `A ${channel} chat`, categoryId, requesterId: requester.id, channel },
    });
    await assignTicket({ ctx: w.system(), input: { ticketId: t.id, assigneeId: operator.id } });
    return t.id;
  };
  liveTicket = await open("live");
  plainTicket = await open("ticket");
});

/** 40 private chats with a row each, queued before the message under test. */
async function queueBacklog(tag: string) {
  await w.db.delete(notifications);
  fakeTelegram().clear();
  await w.db.insert(notifications).values(
    Array.from({ length: 40 }, (_, i) => ({
      chatId: 7_100_000 + i,
      ticketId: plainTicket,
      type: "system" as const,
      idempotencyKey: `lane-${tag}-${i}`,
    })),
  );
}

/** The operator answers in the ticket; the first claim (5 posts) runs; the chats it posted to. */
async function answerAndClaimOnce(ticketId: string) {
  const { addTicketMessage } = await import("../../server/domain/index.js");
  await addTicketMessage({
    ctx: w.ctx(operator),
    input: { ticketId, body: "Here to help", source: "miniapp" },
  });
  const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), {
    limits: RELAXED_LIMITS,
    batchSize: 5,
  });
  await worker.drainOnce();
  return {
    worker,
    firstRound: fakeTelegram()
      .sends()
      .map((c) => Number(c.params.chat_id)),
  };
}

describe("the live lane", () => {
  it("sends a live chat's relay before a backlog of other chats, and leaves the lane when done", async () => {
    await queueBacklog("live");
    const { worker, firstRound } = await answerAndClaimOnce(liveTicket);
    const [relay] = await w.db
      .select()
      .from(notifications)
      .where(eq(notifications.chatId, requester.telegramId));
    expect((relay.payload as { live?: boolean }).live).toBe(true);
    expect(firstRound).toHaveLength(5);
    expect(firstRound).toContain(requester.telegramId);

    await drainAll(worker, w.db, 60_000);
    expect(fakeTelegram().sends()).toHaveLength(41);
    const [chat] = await w.db
      .select()
      .from(deliveryChats)
      .where(eq(deliveryChats.chatId, requester.telegramId));
    // Found empty by a later claim: out of the lane, so later rows to it queue as any other.
    await worker.drainOnce();
    const [after] = await w.db
      .select()
      .from(deliveryChats)
      .where(eq(deliveryChats.chatId, requester.telegramId));
    expect(chat).toBeDefined();
    expect(after.live).toBe(false);
    expect(after.dueAt).toBeNull();
  }, 90_000);

  it("a message of a plain ticket waits its turn behind the older rows", async () => {
    await queueBacklog("plain");
    const { firstRound } = await answerAndClaimOnce(plainTicket);
    expect(firstRound).toHaveLength(5);
    expect(firstRound).not.toContain(requester.telegramId);
  });

  it("leaves a sixth of the bot-wide window to the bot's answers and live chats while people are answered", async () => {
    await queueBacklog("reserve");
    // 12 a minute in all. Nobody answered lately: the backlog takes the whole window.
    const limits = {
      global: { count: 12, windowMs: 60_000 },
      privateChat: { count: 1, windowMs: 60_000 },
      groupChat: { count: 20, windowMs: 60_000 },
    };
    // The calls of the tests before would fill this test's minute-long windows.
    await w.db.delete(botCalls);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), {
      limits,
      batchSize: 40,
    });
    await worker.drainOnce();
    await worker.drainOnce();
    expect(fakeTelegram().sends()).toHaveLength(12);

    // A new window (the old one forgotten). The bot answers someone: from then on the
    // backlog leaves two places free, and a live chat's relay finds one of them.
    await w.db.delete(botCalls);
    const { createCallBudget } = await import("../../server/domain/delivery/budget.js");
    const answer = await createCallBudget(w.db, limits).take(operator.telegramId);
    expect(answer).toHaveProperty("id");
    await worker.drainOnce();
    await worker.drainOnce();
    expect(fakeTelegram().sends()).toHaveLength(12 + 9);
    const { addTicketMessage } = await import("../../server/domain/index.js");
    await addTicketMessage({
      ctx: w.ctx(operator),
      input: { ticketId: liveTicket, body: "Still here", source: "miniapp" },
    });
    await worker.drainOnce();
    await worker.drainOnce();
    const sent = fakeTelegram()
      .sends()
      .map((c) => Number(c.params.chat_id));
    expect(sent).toHaveLength(22);
    expect(sent[21]).toBe(requester.telegramId);
    // The answer waiting behind a full window marks its demand too (a later claim sees it).
    await w.db.delete(botCalls);
    await worker.drainOnce();
    const waiting = await createCallBudget(w.db, limits).take(operator.telegramId + 1);
    expect(waiting).toHaveProperty("waitMs");
    const marks = await w.db.select().from(botCalls).where(eq(botCalls.interactive, true));
    expect(marks.map((m) => m.calls)).toEqual([0]);
  });
});
