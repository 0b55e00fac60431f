import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../drizzle/client.js";
import { notifications, sendLedger } from "../../drizzle/schema/index.js";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { createTestDb } from "../helpers/db.js";
import {
  drainAll,
  outboxWorker,
  queueNotifications,
  RELAXED_LIMITS,
  seedTicket,
  setupFakeTelegram,
  TEST_TOKEN,
  telegramDeliverer,
} from "./outbox-harness.js";

/**
 * The send ledger in one process: a delivery whose Bot API answer was lost (the
 * `answered` hook throws where a crash would kill the process) is tried again,
 * and Telegram's side decides whether the message is sent again.
 */
const fake = setupFakeTelegram();
let handle: DbHandle;
let ticketId: string;
let chat = 9_200_000;

beforeAll(async () => {
  handle = await createTestDb();
  ticketId = await seedTicket(handle.db, 78, "T-20260101-0078");
});
afterAll(() => handle.close());
beforeEach(() => {
  chat++;
  fake().clear();
});

/** Delivers one row to `chat`; `loseAnswer`: the first answer is lost as in a crash. */
async function deliverOne(key: string, loseAnswer = false) {
  await queueNotifications(handle.db, ticketId, { count: 1, firstChat: chat, keyPrefix: key });
  let lost = !loseAnswer;
  const worker = outboxWorker(handle.db, await telegramDeliverer(handle.db, fake()), {
    limits: RELAXED_LIMITS,
    ledger: {
      settleMs: 0,
      answered: () => {
        if (lost) return;
        lost = true;
        throw new Error("the process died here");
      },
    },
  });
  await drainAll(worker, handle.db);
  const [row] = await handle.db
    .select()
    .from(notifications)
    .where(eq(notifications.idempotencyKey, `${key}-0`));
  return row;
}

/** Sends a message to the chat outside the ledger (as the bot does when it replies in a conversation). */
const botReply = (markup?: unknown) =>
  fetch(`${fake().url}/bot${TEST_TOKEN}/sendMessage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: chat, text: "a reply", reply_markup: markup }),
  });

describe("the send ledger", () => {
  it("finds a message whose answer was lost on Telegram's side and does not send it again", async () => {
    await deliverOne(`found-${chat}-a`);
    fake().userMessage(chat);
    const row = await deliverOne(`found-${chat}-b`, true);
    expect(fake().sends(chat)).toHaveLength(2);
    expect(row).toMatchObject({ state: "sent", sentMessageId: 3 });
    const parts = await handle.db.select().from(sendLedger).where(eq(sendLedger.notificationId, row.id));
    expect(parts).toMatchObject([{ state: "sent", afterMessageId: 1, lastMessageId: 3 }]);
    // The probe passed the user's message and stopped at "not modified" on the bot's.
    expect(
      fake()
        .calls.filter((c) => c.method === "editMessageReplyMarkup")
        .map((c) => c.failure?.description),
    ).toEqual([
      "Bad Request: message can't be edited",
      expect.stringMatching(/^Bad Request: message is not modified/),
    ]);
  });

  it("sends a message that never reached Telegram once the probe finds the chat's end", async () => {
    await deliverOne(`lost-${chat}-a`);
    fake().failNext("sendMessage", FAILURES.serverError(), { chatId: chat });
    const row = await deliverOne(`lost-${chat}-b`);
    expect(fake().sends(chat)).toHaveLength(2);
    expect(row.state).toBe("sent");
    const probes = fake().calls.filter((c) => c.method === "editMessageReplyMarkup");
    expect(probes.map((c) => c.failure?.description)).toEqual(
      Array(3).fill("Bad Request: message to edit not found"),
    );
  });

  it("replays a part Telegram answered instead of sending it again", async () => {
    await deliverOne(`replay-${chat}-a`);
    const row = await deliverOne(`replay-${chat}-b`);
    // The outbox row goes back to the queue as after a lost outcome write; the ledger answers.
    await handle.db
      .update(notifications)
      .set({ state: "pending", nextAttemptAt: new Date() })
      .where(eq(notifications.id, row.id));
    const worker = outboxWorker(handle.db, await telegramDeliverer(handle.db, fake()), {
      limits: RELAXED_LIMITS,
    });
    await drainAll(worker, handle.db);
    expect(fake().sends(chat)).toHaveLength(2);
  });

  it("leaves a send in doubt, failed for an admin to see, when a message the ledger does not know is in the way", async () => {
    await deliverOne(`doubt-${chat}-a`);
    await botReply({ inline_keyboard: [[{ text: "Menu", callback_data: "menu" }]] });
    fake().failNext("sendMessage", FAILURES.serverError(), { chatId: chat });
    const row = await deliverOne(`doubt-${chat}-b`);
    expect(fake().sends(chat)).toHaveLength(2);
    expect(row.state).toBe("failed");
    expect(row.lastError).toMatch(
      /in doubt whether part 0 arrived: message 2 is a bot message the ledger did not know/,
    );
  });

  it("leaves the first message of a chat with nothing on record in doubt rather than probe the conversation", async () => {
    const row = await deliverOne(`first-${chat}`, true);
    expect(fake().sends(chat)).toHaveLength(1);
    expect(row).toMatchObject({ state: "failed" });
    expect(row.lastError).toMatch(/no earlier message of this chat on record/);
    expect(fake().calls.filter((c) => c.method === "editMessageReplyMarkup")).toEqual([]);
  });
});
