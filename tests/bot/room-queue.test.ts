import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it, vi } from "vitest";
import { createRoomQueue } from "../../bot/room-queue.js";
import type { CallBudget } from "../../server/domain/delivery/budget.js";

/**
 * The line of calls waiting for room (bot/room-queue.ts) against a scripted budget:
 * the cases a real budget makes rare (a call joining while the head is being
 * served, a line longer than the longest wait). Found by a review of the change.
 */
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rest = { settle: async () => {}, pause: async () => {} };

describe("the line of calls waiting for room", () => {
  it("serves an outbox call that joins ahead while the head is being asked for", async () => {
    let nextId = 1;
    const asked: number[] = [];
    const budget: CallBudget = {
      ...rest,
      take: async (chatId) => {
        asked.push(chatId);
        await tick(20);
        return { id: nextId++ };
      },
    };
    const queue = createRoomQueue(budget, 2000);
    const answer = queue.take(1, false);
    await tick(5);
    // Put at the front of the line while the answer's ask is still running.
    const outbox = queue.take(2, true);
    const result = await Promise.race([
      Promise.all([answer, outbox]).then((ids) => ({ ids })),
      tick(1000).then(() => ({ stuck: queue.waiting() })),
    ]);
    // Taken out by position, the outbox call was dropped (never answered) and the
    // answer asked for twice, its second place reserved for no one.
    expect(asked).toEqual([1, 2]);
    expect(result).toEqual({ ids: [1, 2] });
  });

  it("asks for each call as whose it is, never in the context of the call that started the line", async () => {
    const scope = new AsyncLocalStorage<string>();
    const seen: Array<[number, boolean | undefined, string | undefined]> = [];
    let nextId = 1;
    const budget: CallBudget = {
      ...rest,
      take: async (chatId, _calls, who) => {
        seen.push([chatId, who?.outbox, scope.getStore()]);
        await tick(20);
        return { id: nextId++ };
      },
    };
    const queue = createRoomQueue(budget, 2000);
    const delivery = scope.run("outbox delivery", () => queue.take(1, true));
    await tick(5);
    const answer = queue.take(2, false);
    await Promise.all([delivery, answer]);
    expect(seen).toEqual([
      [1, true, undefined],
      [2, false, undefined],
    ]);
  });

  it("lets every call go after its longest wait, not only the one at the front", async () => {
    const budget: CallBudget = { ...rest, take: async () => ({ waitMs: 100, botWideMs: 100 }) };
    const queue = createRoomQueue(budget, 500);
    const started = Date.now();
    let feeding = true;
    const fed: Promise<unknown>[] = [];
    // Outbox calls keep coming, each put ahead of the answer.
    const feeder = (async () => {
      while (feeding) {
        fed.push(queue.take(-100, true));
        await tick(200);
      }
    })();
    await tick(10);
    const waited = await Promise.race([
      queue.take(5, false).then((reservation) => ({ reservation, ms: Date.now() - started })),
      tick(3000).then(() => ({ reservation: "still waiting", ms: Number.POSITIVE_INFINITY })),
    ]);
    feeding = false;
    await feeder;
    await Promise.all(fed);
    expect(waited.reservation).toBeNull();
    expect(waited.ms).toBeLessThan(1500);
  }, 10_000);

  it("lets the calls behind go after their longest wait while the head's ask hangs", async () => {
    let nextId = 1;
    const budget: CallBudget = {
      ...rest,
      // The first ask never comes back (a connection stuck in the database).
      take: (chatId) => (chatId === 1 ? new Promise(() => {}) : Promise.resolve({ id: nextId++ })),
    };
    const queue = createRoomQueue(budget, 300);
    void queue.take(1, false);
    await tick(5);
    const behind = await Promise.race([queue.take(2, false), tick(2000).then(() => "still waiting")]);
    expect(behind).toBeNull();
    // Nothing left for the timer to let go: it does not keep firing for the hung head
    // (it re-armed every millisecond: 177 timers in 200 ms). The spy sees every timer of
    // the process, the test's own and others' on a busy run (5 once in CI): a margin.
    const timers = vi.spyOn(globalThis, "setTimeout");
    await tick(200);
    const fired = timers.mock.calls.length;
    timers.mockRestore();
    expect(fired).toBeLessThan(20);
  });
});
