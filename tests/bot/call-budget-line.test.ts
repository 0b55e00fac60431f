import { and, gt, inArray } from "drizzle-orm";
import { Telegram } from "telegraf";
import { describe, expect, it } from "vitest";
import { applyCallBudget } from "../../bot/call-budget.js";
import { botCalls } from "../../drizzle/schema/index.js";
import {
  type CallBudget,
  createCallBudget,
  type RateLimits,
  reserve,
} from "../../server/domain/delivery/budget.js";
import { withPrepaidCalls } from "../../server/domain/delivery/prepaid.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import {
  outboxWorker,
  queueNotifications,
  seedTicket,
  setupFakeTelegram,
  TEST_TOKEN,
  telegramDeliverer,
  undelivered,
} from "../jobs/outbox-harness.js";

/**
 * Calls waiting for room in the bot-wide window (bot/room-queue.ts), through the
 * real budget in the database and the fake Bot API. The window here is 2 calls a
 * second so a few calls make a line.
 */
const world = setupTestWorld();
const fakeTelegram = setupFakeTelegram();
const LIMITS: RateLimits = {
  global: { count: 2, windowMs: 1000 },
  privateChat: { count: 100, windowMs: 1000 },
  groupChat: { count: 100, windowMs: 1000 },
};
const GROUP = -1_005_500_000;
let nextChat = 5_500_000;

/** A Telegram instance under a budget that counts how often it is asked. */
function budgeted(limits = LIMITS) {
  const real = createCallBudget(world().db, limits);
  const asked = { takes: 0 };
  const budget: CallBudget = {
    ...real,
    take: (chatId, calls, who) => {
      asked.takes++;
      return real.take(chatId, calls, who);
    },
  };
  const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
  applyCallBudget(telegram, budget);
  return { telegram, budget, asked };
}

/** The bot-wide window full for the next second, as after a run of answers. */
const fillWindow = () => reserve(world().db, [{ chatId: 1, calls: LIMITS.global.count }], 1000);
const say = (telegram: Telegram, chatId: number, text: string) => telegram.sendMessage(chatId, text);
const textsSince = (at: number) =>
  fakeTelegram()
    .callsOf("sendMessage")
    .filter((c) => c.at >= at)
    .map((c) => c.params.text as string);

describe("calls waiting for the bot-wide window", () => {
  it("are answered in the order they came, each waiting asking the budget only at its turn", async () => {
    const { telegram, asked } = budgeted();
    const start = Date.now();
    await fillWindow();
    const chats = Array.from({ length: 6 }, () => nextChat++);
    const answers: Promise<unknown>[] = [];
    for (const [i, chat] of chats.entries()) {
      answers.push(say(telegram, chat, `answer ${i}`));
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(answers);
    expect(textsSince(start)).toEqual(chats.map((_, i) => `answer ${i}`));
    // Six callers over four windows. Each asking on its own whenever the window freed
    // a place made it about 6 × 4; in line, one ask each and one per turn of the head.
    expect(asked.takes).toBeLessThan(20);
  }, 15_000);

  it("lets an outbox delivery's extra call (a card edit, say) go before the answers waiting", async () => {
    const { telegram } = budgeted();
    const start = Date.now();
    await fillWindow();
    const answerChats = Array.from({ length: 4 }, () => nextChat++);
    const answers = answerChats.map((chat, i) => say(telegram, chat, `waiting answer ${i}`));
    await new Promise((r) => setTimeout(r, 100));
    // A staff post with nothing prepaid left: its next call is an extra one.
    const staffPost = withPrepaidCalls({ chatId: GROUP, calls: 0 }, () =>
      say(telegram, GROUP, "staff post behind its card edit"),
    );
    await Promise.all([...answers, staffPost]);
    expect(textsSince(start)[0]).toBe("staff post behind its card edit");
    // Each reserved as whose call it is: the answers count as the bot answering people
    // (the claims leave them a reserve), the delivery's call does not.
    const reserved = await world()
      .db.select({ chatId: botCalls.chatId, interactive: botCalls.interactive })
      .from(botCalls)
      .where(and(gt(botCalls.calls, 0), inArray(botCalls.chatId, [GROUP, ...answerChats])));
    expect(reserved.filter((r) => r.chatId === GROUP).map((r) => r.interactive)).toEqual([false]);
    expect(reserved.filter((r) => r.chatId !== GROUP).map((r) => r.interactive)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  }, 15_000);

  it("does not hold up others behind a call whose own chat is full", async () => {
    const { telegram, budget } = budgeted();
    const start = Date.now();
    const paused = nextChat++;
    await budget.pause(paused, 2500);
    await fillWindow();
    const first = say(telegram, paused, "to a chat Telegram paused");
    await new Promise((r) => setTimeout(r, 20));
    const second = say(telegram, nextChat++, "to a chat with room");
    await Promise.all([first, second]);
    expect(textsSince(start)).toEqual(["to a chat with room", "to a chat Telegram paused"]);
  }, 15_000);

  it("gets an outbox delivery's extra call through while the claims keep the window full", async () => {
    const { db } = world();
    await db.delete(botCalls);
    const ticketId = await seedTicket(db, 5_400_000, "T-20260101-0054");
    // Twelve seconds of backlog at six posts a second, to sixty private chats.
    const limits: RateLimits = { ...LIMITS, global: { count: 6, windowMs: 1000 } };
    await queueNotifications(db, ticketId, { count: 72, firstChat: 5_400_001, chats: 72, keyPrefix: "full" });
    const worker = outboxWorker(db, await telegramDeliverer(db, fakeTelegram()), { limits });
    worker.start();
    try {
      // The claims take each place of the window as it frees (ahead of it, global-places.ts).
      await new Promise((r) => setTimeout(r, 1500));
      const { telegram } = budgeted(limits);
      await withPrepaidCalls({ chatId: GROUP, calls: 0 }, () =>
        say(telegram, GROUP, "staff post, extra call"),
      );
      // It went while the backlog was still draining: its wait made the claims leave the
      // reserve free. Unmarked, it found no place until its 20 s were up, after the backlog.
      expect(await undelivered(db)).toBeGreaterThan(6);
    } finally {
      await worker.stop();
    }
  }, 30_000);
});
