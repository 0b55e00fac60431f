import { Telegram } from "telegraf";
import { describe, expect, it } from "vitest";
import { applyCallBudget } from "../../bot/call-budget.js";
import { callTelegram } from "../../bot/delivery/telegram-call.js";
import {
  createCallBudget,
  type RateLimits,
  reserve,
  settleReservation,
} from "../../server/domain/delivery/budget.js";
import { unusedOf, withPrepaidCalls } from "../../server/domain/delivery/prepaid.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupFakeTelegram, TEST_TOKEN } from "./outbox-harness.js";

/**
 * Found by `npm run chaos` (docs/OPERATIONS.md): a delivery that makes one call
 * more than its claim reserved (a merged post whose text ran to a second message)
 * waited for room in the private chat's window (1 a second) — a window its own
 * reservation filled until the post finished. The call's timeout ran out first,
 * every retry did the same, and the chat's queue stopped. Now the reservation is
 * settled before the extra call, which waits at most the chat's window.
 */
const world = setupTestWorld();
const fakeTelegram = setupFakeTelegram();
const CHAT = 4_100_000;

describe("a delivery's call beyond its reservation", () => {
  it("goes out instead of waiting behind its own post's reservation", async () => {
    const { db } = world();
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
    applyCallBudget(telegram, createCallBudget(db));
    // What the claim does for a post it expects to be one message (claim.ts).
    const reservation = (await reserve(db, [{ chatId: CHAT, calls: 1 }])).get(CHAT) as number;
    const prepaid = { chatId: CHAT, calls: 1, settle: () => settleReservation(db, reservation) };
    // A timeout well under the budget's longest wait (20 s): before the fix the second
    // call was still waiting for room when it ran out, and was never sent.
    const send = (text: string) => callTelegram(telegram, "sendMessage", { chat_id: CHAT, text }, 8000);
    await withPrepaidCalls(prepaid, async () => {
      await send("part 1 of a merged post");
      await send("part 2, beyond the reservation");
    });
    expect(
      fakeTelegram()
        .sends(CHAT)
        .map((c) => c.params.text),
    ).toEqual(["part 1 of a merged post", "part 2, beyond the reservation"]);
  });

  it("waits for the group's window without its timeout running: the deadline counts from the send", async () => {
    const { db } = world();
    const group = -1_004_100_000;
    // One call a 1.5 s window into the group, as a group's 20 a minute after a run of posts.
    const limits: RateLimits = {
      global: { count: 30, windowMs: 1000 },
      privateChat: { count: 1, windowMs: 1000 },
      groupChat: { count: 1, windowMs: 1500 },
    };
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
    applyCallBudget(telegram, createCallBudget(db, limits));
    const send = (text: string) => callTelegram(telegram, "sendMessage", { chat_id: group, text }, 500);
    await send("fills the group's window");
    const started = Date.now();
    // Before, the 500 ms deadline started before the wait for room and the call failed
    // unsent ("The user aborted a request"), a transient failure the outbox retried later.
    await send("waits for room, then goes");
    expect(Date.now() - started).toBeGreaterThan(900);
    expect(
      fakeTelegram()
        .sends(group)
        .map((c) => c.params.text),
    ).toEqual(["fills the group's window", "waits for room, then goes"]);
  });

  it("is not sent past a full chat window after its longest wait: the delivery is tried again", async () => {
    const { db } = world();
    const group = -1_004_100_001;
    const limits: RateLimits = {
      global: { count: 30, windowMs: 1000 },
      privateChat: { count: 1, windowMs: 1000 },
      groupChat: { count: 1, windowMs: 10_000 },
    };
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
    // A wait of 300 ms at most, for the test; the product waits 20 s (room-queue.ts).
    applyCallBudget(telegram, createCallBudget(db, limits), 300);
    const send = (text: string) => callTelegram(telegram, "sendMessage", { chat_id: group, text }, 5000);
    await send("fills the group's window for 10 s");
    // In a delivery whose claim reserved nothing more (its card edit took the place).
    const extra = withPrepaidCalls({ chatId: group, calls: 0 }, () => send("one call too many"));
    // Before, it went anyway after its wait: past Telegram's limit, a 429 that held the whole chat back.
    await expect(extra).rejects.toMatchObject({ kind: "rate_limited" });
    expect(
      fakeTelegram()
        .sends(group)
        .map((c) => c.params.text),
    ).toEqual(["fills the group's window for 10 s"]);
  });

  it("counts each item of an album against what the claim reserved, as Telegram counts them", async () => {
    const { db } = world();
    const group = -1_004_100_002;
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url });
    applyCallBudget(telegram, createCallBudget(db));
    const prepaid = { chatId: group, calls: 5 };
    const photo = (n: number) => ({ type: "photo", media: `AgACphoto${n}` });
    await withPrepaidCalls(prepaid, () =>
      callTelegram(
        telegram,
        "sendMediaGroup",
        { chat_id: group, media: [photo(1), photo(2), photo(3)] },
        5000,
      ),
    );
    // Three messages spent, two left to give back (unusedOf), not four.
    expect(prepaid.calls).toBe(2);
    expect(unusedOf(prepaid)).toBe(2);
  });
});
