import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globalPlaces } from "../../server/jobs/outbox/global-places.js";

describe("the bot-wide window's places, now and ahead", () => {
  it("hands out what is free now, then what frees within the look-ahead, each with its wait", () => {
    const places = globalPlaces({
      count: 30,
      used: 29,
      freeing: [
        { ms: 40, calls: 2 },
        { ms: 12, calls: 1 },
        { ms: 80, calls: 1 },
      ],
      aheadMs: 50,
    });
    expect(places.take(1, 0)).toBe(0); // the one free place
    expect(places.take(1, 0)).toBe(12);
    expect(places.take(2, 0)).toBe(40); // both places of the call answered 960 ms ago
    expect(places.take(1, 0)).toBeNull(); // frees in 80 ms: beyond the look-ahead
    expect(places.taken).toBe(4);
    // The next claim may come 50 ms before that place frees.
    expect(places.nextRoomMs(0)).toBe(30);
  });

  it("leaves the reserve free, and counts places others took ahead (an over-full window)", () => {
    const reserved = globalPlaces({ count: 30, used: 26, freeing: [{ ms: 5, calls: 1 }], aheadMs: 50 });
    expect(reserved.take(1, 5)).toBeNull(); // 4 free and one freeing: the reserve of 5 stays
    expect(reserved.take(1, 4)).toBe(5);
    // Another instance took two places ahead: the window holds 32; the first two freeing are theirs.
    const behind = globalPlaces({
      count: 30,
      used: 32,
      freeing: [
        { ms: 3, calls: 1 },
        { ms: 9, calls: 1 },
        { ms: 20, calls: 1 },
      ],
      aheadMs: 50,
    });
    expect(behind.take(1, 0)).toBe(20);
    expect(behind.take(1, 0)).toBeNull();
  });

  it("lets a round's first post of several calls go with the places there are", () => {
    const places = globalPlaces({ count: 30, used: 29, freeing: [], aheadMs: 50 });
    expect(places.take(3, 0)).toBeNull();
    expect(places.take(3, 0, 1)).toBe(0);
  });

  /**
   * Claims at random moments take places (now or ahead) and send after the wait;
   * Telegram answers each after a random delay. Telegram counts a call when it
   * arrives, at some moment between its send and its answer: no window of 1 s may
   * ever hold more than 30 calls' intervals, as the budget dates places by answers.
   */
  it("never lets more calls into any 1 s window than Telegram allows", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 0, max: 120 }),
            want: fc.integer({ min: 0, max: 12 }),
            latencyMs: fc.integer({ min: 1, max: 60 }),
            keep: fc.constantFrom(0, 0, 5),
          }),
          { minLength: 20, maxLength: 120 },
        ),
        (rounds) => {
          const W = 1000;
          const calls: { send: number; answer: number }[] = [];
          let now = 0;
          for (const r of rounds) {
            now += r.gapMs;
            const answered = calls.filter((c) => c.answer <= now && c.answer > now - W);
            const inFlight = calls.filter((c) => c.answer > now);
            const places = globalPlaces({
              count: 30,
              used: answered.length + inFlight.length,
              freeing: answered.map((c) => ({ ms: c.answer + W - now, calls: 1 })),
              aheadMs: 50,
            });
            for (let i = 0; i < r.want; i++) {
              const wait = places.take(1, r.keep);
              if (wait === null) break;
              const send = now + wait;
              calls.push({ send, answer: send + r.latencyMs });
            }
          }
          for (const from of calls.flatMap((c) => [c.send, c.answer - W])) {
            const inWindow = calls.filter((c) => c.send < from + W && c.answer >= from).length;
            expect(inWindow).toBeLessThanOrEqual(30);
          }
        },
      ),
      { numRuns: 200, seed: 22 },
    );
  });
});
