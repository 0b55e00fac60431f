import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type NewNotification, notifications, users } from "../../drizzle/schema/index.js";
import type { RateLimits } from "../../server/domain/delivery/budget.js";
import { FAILURES, maxInWindow } from "../../server/sandbox/bot-api/server.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { drainAll, outboxWorker, setupFakeTelegram, telegramDeliverer } from "./outbox-harness.js";

/**
 * Telegram's limits scaled down 50× in time so the test runs in seconds: 30 per
 * 20 ms for the bot, 1 per 20 ms per private chat, 20 per 1.2 s per group. The
 * assertions check those same configured limits on the fake Bot API's arrival times.
 */
const LIMITS: RateLimits = {
  global: { count: 30, windowMs: 20 },
  privateChat: { count: 1, windowMs: 20 },
  groupChat: { count: 20, windowMs: 1200 },
};
const GROUP = -1003000;
const world = setupTestWorld({ staffChatId: GROUP });
const fakeTelegram = setupFakeTelegram();
let w: World;
let ticketId: string;

beforeAll(async () => {
  w = world();
  const requester = await w.user("requester");
  const { createTicket } = await import("../../server/domain/index.js");
  ticketId = (
    await createTicket({
      ctx: w.system(),
      input: { title: "Load", categoryId: await w.categoryId(), requesterId: requester.id },
    })
  ).id;
});
beforeEach(async () => {
  fakeTelegram().clear();
  await w.db.delete(notifications);
});

let keySeq = 0;
function row(chatId: number, extra: Partial<NewNotification> = {}): NewNotification {
  return { chatId, ticketId, type: "system", idempotencyKey: `test-${keySeq++}`, ...extra };
}
async function enqueue(rows: NewNotification[]) {
  for (let i = 0; i < rows.length; i += 500) await w.db.insert(notifications).values(rows.slice(i, i + 500));
}

describe("rate limits", () => {
  it("sends 1,000 chats + 100 to one chat + 25 to one group without breaking any window", async () => {
    const one = 5_000_001;
    await enqueue([
      ...Array.from({ length: 1000 }, (_, i) => row(6_000_000 + i)),
      ...Array.from({ length: 100 }, () => row(one)),
      // Below the digest threshold (3 windows' worth of posts, each with its card's edit):
      // each row is a post of its own.
      ...Array.from({ length: 25 }, () => row(GROUP)),
    ]);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    // The limits are what is tested, not the speed: each send also writes its send-ledger
    // intent and answer, and a loaded machine running the whole suite needs more than a minute.
    await drainAll(worker, w.db, 120_000);

    const sends = fakeTelegram().sends();
    expect(sends).toHaveLength(1125);
    expect(
      maxInWindow(
        sends.map((c) => c.at),
        LIMITS.global.windowMs,
      ),
    ).toBeLessThanOrEqual(30);
    expect(
      maxInWindow(
        fakeTelegram()
          .sends(one)
          .map((c) => c.at),
        20,
      ),
    ).toBe(1);
    expect(
      maxInWindow(
        fakeTelegram()
          .sends(GROUP)
          .map((c) => c.at),
        1200,
      ),
    ).toBeLessThanOrEqual(20);
    // Order within a chat is the order the rows were written.
    const seqs = (await w.db.select().from(notifications).where(eq(notifications.chatId, one))).sort(
      (a, b) => (a.sentMessageId ?? 0) - (b.sentMessageId ?? 0),
    );
    expect(seqs.map((r) => r.seq)).toEqual([...seqs.map((r) => r.seq)].sort((a, b) => a - b));
  }, 150_000);

  it("counts each file of a message against the group's window, not the message alone", async () => {
    const { addTicketMessage } = await import("../../server/domain/index.js");
    const agent = await w.user("agent");
    const file = (n: number) => ({
      kind: "document" as const,
      fileName: `page-${n}.pdf`,
      mimeType: "application/pdf",
      sizeBytes: 100,
      tgFileId: `BQACpage${keySeq++}`,
    });
    // A document and a voice message cannot share a media group: each is a call of its own.
    const voice = () => ({
      kind: "voice" as const,
      fileName: "note.ogg",
      mimeType: "audio/ogg",
      sizeBytes: 100,
      tgFileId: `AwACvoice${keySeq++}`,
    });
    // Ten answers with two files each: 30 calls to the staff group (and one card).
    for (let i = 0; i < 10; i++) {
      await addTicketMessage({
        ctx: w.ctx(agent),
        input: { ticketId, body: `Answer ${i}`, attachments: [file(1), voice()] },
      });
    }
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db, 60_000);
    const toGroup = fakeTelegram().calls.filter((c) => Number(c.params.chat_id) === GROUP && !c.failure);
    // Once the group's window is full, an answer's queued rows go out merged: their
    // documents then travel together in an album. Every file arrives, once.
    const documents = toGroup.flatMap((c): unknown[] =>
      c.method === "sendDocument"
        ? [c]
        : c.method === "sendMediaGroup"
          ? (c.params.media as Array<{ type: string }>).filter((m) => m.type === "document")
          : [],
    );
    expect(documents).toHaveLength(10);
    expect(toGroup.filter((c) => c.method === "sendVoice")).toHaveLength(10);
    expect(
      maxInWindow(
        toGroup.map((c) => c.at),
        LIMITS.groupChat.windowMs,
      ),
    ).toBeLessThanOrEqual(20);
  }, 90_000);

  it("waits retry_after on a 429 and does not count it as a failed attempt", async () => {
    const chat = 7_000_001;
    fakeTelegram().failNext("sendMessage", FAILURES.tooMany(1), { chatId: chat });
    await enqueue([row(chat)]);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db);
    const attempts = fakeTelegram().calls.filter(
      (c) => c.method === "sendMessage" && Number(c.params.chat_id) === chat,
    );
    expect(attempts).toHaveLength(2);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1000);
    const [r] = await w.db.select().from(notifications).where(eq(notifications.chatId, chat));
    expect(r).toMatchObject({ state: "sent", attempts: 1 });
  });
});

describe("faults", () => {
  // A staff group: there a send whose answer was a 5xx or never came is simply sent
  // again. A private chat first asks Telegram whether it arrived (outbox-ledger.test.ts).
  it("retries 5xx with backoff until it goes through", async () => {
    const chat = -1_007_000_002;
    fakeTelegram().failNext("sendMessage", FAILURES.serverError(), { chatId: chat, times: 2 });
    await enqueue([row(chat)]);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db);
    const [r] = await w.db.select().from(notifications).where(eq(notifications.chatId, chat));
    expect(r).toMatchObject({ state: "sent", attempts: 3 });
    const times = fakeTelegram()
      .calls.filter((c) => Number(c.params.chat_id) === chat)
      .map((c) => c.at);
    expect(times[2] - times[1]).toBeGreaterThan(times[1] - times[0]);
  });

  it("marks a user who blocked the bot and stops sending to them; other chats go on", async () => {
    const user = await w.user("requester");
    fakeTelegram().blockChat(user.telegramId);
    await enqueue([
      row(user.telegramId, { recipientId: user.id }),
      row(user.telegramId, { recipientId: user.id }),
      row(7_000_003),
    ]);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db);
    const [u] = await w.db.select().from(users).where(eq(users.id, user.id));
    expect(u.botBlocked).toBe(true);
    const mine = await w.db.select().from(notifications).where(eq(notifications.chatId, user.telegramId));
    expect(mine.map((r) => r.state)).toEqual(["skipped", "skipped"]);
    expect(fakeTelegram().calls.filter((c) => Number(c.params.chat_id) === user.telegramId)).toHaveLength(1);
    expect(fakeTelegram().sends(7_000_003)).toHaveLength(1);
    fakeTelegram().unblockChat(user.telegramId);
  });

  it("drops a 400 with its error recorded, without holding up the chat", async () => {
    const chat = 7_000_004;
    fakeTelegram().failNext("sendMessage", FAILURES.badRequest("chat not found"), { chatId: chat });
    await enqueue([row(chat), row(chat)]);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram()), { limits: LIMITS });
    await drainAll(worker, w.db);
    const rows = (await w.db.select().from(notifications).where(eq(notifications.chatId, chat))).sort(
      (a, b) => a.seq - b.seq,
    );
    expect(rows.map((r) => r.state)).toEqual(["failed", "sent"]);
    expect(rows[0].lastError).toContain("chat not found");
  });

  it("times out a hanging call and retries it", async () => {
    const chat = -1_007_000_005;
    fakeTelegram().failNext("sendMessage", "hang", { chatId: chat });
    await enqueue([row(chat)]);
    const deliver = await telegramDeliverer(w.db, fakeTelegram(), 300);
    const worker = outboxWorker(w.db, deliver, { limits: LIMITS });
    await drainAll(worker, w.db);
    expect(
      fakeTelegram().calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chat),
    ).toHaveLength(2);
  });
});
