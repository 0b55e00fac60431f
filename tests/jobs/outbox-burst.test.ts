import { eq, inArray } from "drizzle-orm";
import { Telegram } from "telegraf";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyCallBudget } from "../../bot/call-budget.js";
import { deliveryChats, notifications, type User } from "../../drizzle/schema/index.js";
import { createCallBudget, type RateLimits } from "../../server/domain/delivery/budget.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import { FAILURES, maxInWindow } from "../../server/sandbox/bot-api/server.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import {
  drainAll,
  outboxWorker,
  queueNotifications,
  setupFakeTelegram,
  TEST_TOKEN,
  telegramDeliverer,
} from "./outbox-harness.js";

/**
 * A burst against Telegram's limits, scaled down in time (a group's 20 a minute
 * becomes 20 per 1.5 s): what staff and requesters receive when more is queued
 * than a chat may get. Every message reaches staff once (its own post, a merged
 * post or a digest), within the windows, also across a restart.
 */
const LIMITS: RateLimits = {
  global: { count: 30, windowMs: 50 },
  privateChat: { count: 1, windowMs: 50 },
  groupChat: { count: 20, windowMs: 1500 },
};
const GROUP = -1004000;
const world = setupTestWorld({ staffChatId: GROUP });
const fakeTelegram = setupFakeTelegram();
let w: World;

beforeAll(() => {
  w = world();
});
beforeEach(async () => {
  fakeTelegram().clear();
  await w.db.delete(notifications);
});

async function ticketsOf(requester: User, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(
      (
        await createTicket({
          ctx: w.ctx(requester),
          input: { title: `Burst ${i}`, categoryId: await w.categoryId() },
        })
      ).id,
    );
  return ids;
}

/** The staff chat's posts, and how many of them hold each body. */
function staffTexts() {
  const posts = fakeTelegram()
    .sends(GROUP)
    .map((c) => String(c.params.text ?? ""));
  const holding = (body: string) => posts.filter((p) => p.includes(body)).length;
  return { posts, holding };
}

describe("a burst into the staff chat", () => {
  it("merges each ticket's queued messages into one post once the group's window is full", async () => {
    const requester = await w.user("requester");
    const ids = await ticketsOf(requester, 3);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db, 30_000); // the three cards
    const bodies: string[] = [];
    for (let i = 0; i < 30; i++) {
      const body = `question ${i} about ticket ${i % 3}`;
      bodies.push(body);
      await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ids[i % 3], body } });
    }
    await drainAll(worker, w.db, 60_000);
    const { posts, holding } = staffTexts();
    for (const body of bodies) expect(holding(body), body).toBe(1);
    // 3 cards + 17 own posts fill the first window; the other 13 messages ride in merged posts.
    expect(posts.length).toBeLessThan(3 + 30);
    expect(posts.some((p) => (p.match(/question \d+/g) ?? []).length > 1)).toBe(true);
    // A ticket's messages keep their order inside a merged post.
    for (const p of posts) {
      const n = (p.match(/question (\d+)/g) ?? []).map((m) => Number(m.split(" ")[1]));
      expect(n).toEqual([...n].sort((a, b) => a - b));
    }
    const times = fakeTelegram()
      .sends(GROUP)
      .map((c) => c.at);
    expect(maxInWindow(times, LIMITS.groupChat.windowMs)).toBeLessThanOrEqual(20);
  }, 90_000);

  it("sums a backlog past the threshold up in a digest; every row is marked sent by it", async () => {
    const requester = await w.user("requester");
    const ids = await ticketsOf(requester, 4);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db, 30_000);
    fakeTelegram().clear();
    // The cards of the four tickets went out: count only the rows of the burst.
    await w.db.delete(notifications);
    // Past the threshold: three windows' worth of posts, each two of the group's calls
    // with its card's edit, is 30 rows (it counted rows as calls: 60, and 40 went as posts).
    for (let i = 0; i < 40; i++)
      await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ids[i % 4], body: `late ${i}` } });
    await drainAll(worker, w.db, 30_000);
    const { posts } = staffTexts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain("40");
    const rows = await w.db.select().from(notifications).where(eq(notifications.chatId, GROUP));
    expect(rows.filter((r) => r.state === "sent")).toHaveLength(40);
    // A reply to the digest names no ticket: no row maps to it.
    expect(rows.every((r) => r.sentMessageId === null)).toBe(true);
  }, 60_000);

  it("sends a digest again with the rows it first gathered; what came since goes after it", async () => {
    const requester = await w.user("requester");
    const ids = await ticketsOf(requester, 4);
    const first = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), {
      limits: LIMITS,
      leaseMs: 200,
    });
    await drainAll(first, w.db, 30_000);
    fakeTelegram().clear();
    await w.db.delete(notifications);
    for (let i = 0; i < 80; i++)
      await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ids[i % 4], body: `early ${i}` } });
    // Its first try fails after the rows were gathered (Telegram answers 500)...
    fakeTelegram().failNext("sendMessage", FAILURES.serverError(), { chatId: GROUP });
    await first.drainOnce();
    const [digestRow] = await w.db
      .select()
      .from(notifications)
      .where(eq(notifications.chatId, GROUP))
      .orderBy(notifications.seq)
      .limit(1);
    expect(digestRow.state).toBe("pending");
    const tied = await w.db.select().from(notifications).where(eq(notifications.carriedBy, digestRow.id));
    expect(tied).toHaveLength(79);
    // ...messages come meanwhile, and another instance sends it.
    for (let i = 0; i < 3; i++)
      await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ids[0], body: `since ${i}.` } });
    const second = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(second, w.db, 30_000);
    const { posts, holding } = staffTexts();
    expect(posts[0]).toContain("80");
    expect(posts.filter((p) => p.includes("83"))).toHaveLength(0);
    for (let i = 0; i < 3; i++) expect(holding(`since ${i}.`), `since ${i}`).toBe(1);
    const rows = await w.db.select().from(notifications).where(eq(notifications.chatId, GROUP));
    expect(rows.filter((r) => r.state === "sent")).toHaveLength(83);
  }, 60_000);

  it("carries the same rows after a restart in the middle of a backlog: each message once", async () => {
    const requester = await w.user("requester");
    const [id] = await ticketsOf(requester, 1);
    const first = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(first, w.db, 30_000);
    // Below the digest threshold (30 rows here): merged posts, which hold each message's words.
    for (let i = 0; i < 25; i++)
      await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: id, body: `again ${i}.` } });
    // The first instance fails its next post (a timeout: nothing known to have arrived),
    // then stops; another takes the backlog over once the lease ends.
    fakeTelegram().failNext("sendMessage", FAILURES.serverError(), { chatId: GROUP });
    const leased = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), {
      limits: LIMITS,
      leaseMs: 200,
    });
    for (let i = 0; i < 5; i++) await leased.drainOnce();
    await leased.stop();
    const second = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(second, w.db, 60_000);
    const { holding } = staffTexts();
    for (let i = 0; i < 25; i++) expect(holding(`again ${i}.`), `again ${i}`).toBe(1);
  }, 90_000);
});

describe("the staff chat beside a crowd of private chats", () => {
  it("goes first: its post does not wait behind every private chat that is due", async () => {
    const requester = await w.user("requester");
    const [id] = await ticketsOf(requester, 1);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db, 30_000);
    fakeTelegram().clear();
    // 150 private chats queued first (five rounds of the bot's 30), then one staff post.
    await queueNotifications(w.db, id, { count: 150, firstChat: 8_400_000, keyPrefix: "crowd" });
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: id, body: "behind the crowd" } });
    await drainAll(worker, w.db, 60_000);
    const sends = fakeTelegram().sends();
    const staffAt = sends.findIndex((c) => String(c.params.text ?? "").includes("behind the crowd"));
    expect(staffAt).toBeGreaterThanOrEqual(0);
    expect(staffAt).toBeLessThan(LIMITS.global.count);
    expect(sends).toHaveLength(151);
  }, 90_000);
});

describe("answers to a requester's burst", () => {
  it("acknowledges four messages with one post instead of four", async () => {
    const requester = await w.user("requester", { telegramId: 8_100_001 });
    const [id] = await ticketsOf(requester, 1);
    await w.db.delete(notifications);
    for (let i = 0; i < 4; i++)
      await addTicketMessage({
        ctx: w.ctx(requester),
        input: {
          ticketId: id,
          body: `m${i}`,
          acknowledge: true,
          origin: { chatId: requester.telegramId, messageId: 100 + i },
        },
      });
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db, 30_000);
    const answers = fakeTelegram().sends(requester.telegramId);
    expect(answers).toHaveLength(1);
    expect(String(answers[0].params.text)).toMatch(/4/);
  });

  it("retries an answer refused with 429 after retry_after and holds the chat back for every instance", async () => {
    const chat = 8_200_001;
    const budget = createCallBudget(w.db, LIMITS);
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
    applyCallBudget(telegram, budget);
    fakeTelegram().failNext("sendMessage", FAILURES.tooMany(1), { chatId: chat });
    const started = Date.now();
    await telegram.sendMessage(chat, "hello");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const tries = fakeTelegram().calls.filter(
      (c) => c.method === "sendMessage" && Number(c.params.chat_id) === chat,
    );
    expect(tries.map((c) => Boolean(c.failure))).toEqual([true, false]);
    const [paused] = await w.db.select().from(deliveryChats).where(eq(deliveryChats.chatId, chat));
    expect(paused.pausedUntil).not.toBeNull();
  });

  it("keeps a private chat's window for the bot's answers and the outbox together", async () => {
    const chat = 8_300_001;
    const budget = createCallBudget(w.db, { ...LIMITS, privateChat: { count: 1, windowMs: 300 } });
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
    applyCallBudget(telegram, budget);
    await Promise.all([1, 2, 3].map((i) => telegram.sendMessage(chat, `answer ${i}`)));
    const times = fakeTelegram()
      .sends(chat)
      .map((c) => c.at);
    expect(times).toHaveLength(3);
    expect(maxInWindow(times, 300)).toBe(1);
    await w.db.delete(deliveryChats).where(inArray(deliveryChats.chatId, [chat]));
  });
});
