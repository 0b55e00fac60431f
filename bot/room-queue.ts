import { AsyncResource } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { CallBudget } from "../server/domain/index.js";

/** Longest a call waits for room before it is sent anyway (a 429 is then retried). */
export const MAX_WAIT_MS = 20_000;

/** What the line hands a waiter: a reservation, "go anyway" (null), or "your chat is full: wait this long". */
type Turn = number | null | { chatWaitMs: number };

interface Waiter {
  chatId: number;
  /** Messages the call posts (an album's items each count). */
  calls: number;
  /** A call of an outbox delivery: it goes ahead of the answers waiting (see join). */
  outbox: boolean;
  since: number;
  done(turn: Turn): void;
  fail(err: unknown): void;
}

export interface RoomQueue {
  /** A reservation for a call of `calls` messages to `chatId`, or null when it waited its longest and is to go anyway. */
  take(chatId: number, outbox: boolean, calls?: number): Promise<number | null>;
  /** Calls waiting in line now (tests). */
  waiting(): number;
}

/**
 * Calls waiting for room in the bot-wide window, served in turn by one poller.
 *
 * Each waiting call used to sleep for the longest of its waits and ask the budget
 * again, all of them together when the window freed (each a transaction under the
 * budget lock), the winner chosen by chance: with a burst of answers, no order at
 * all, and an outbox post's extra call (its card edit, a topic) behind answers that
 * came after it.
 *
 * Now every call takes its turn in one line, and only the line's head asks the
 * budget (the budget lock made the asks one at a time anyway): a call with room
 * goes at once, and the head told the bot-wide window is full waits for it and asks
 * again. Outbox calls go ahead of the answers (they hold a post staff wait for; the
 * answers keep their reserve of the window, budget.ts). A call whose own chat is
 * full leaves the line and waits on its own, so it holds no one up.
 */
export function createRoomQueue(budget: CallBudget, maxWaitMs = MAX_WAIT_MS): RoomQueue {
  const line: Waiter[] = [];
  let serving = false;
  // The line is served outside any caller's async context: the loop outlives the call
  // that started it, and what the budget reads from that context (whether it runs in
  // an outbox delivery, PGlite's first-in-line lane) must not leak to everyone served.
  // Made here, when the bot and the deliverer are composed, outside any request.
  const neutral = new AsyncResource("room-queue");

  const join = (chatId: number, outbox: boolean, calls: number, since: number) =>
    new Promise<Turn>((done, fail) => {
      const waiter = { chatId, calls, outbox, since, done, fail };
      // Outbox calls after the outbox calls already waiting, before every answer.
      const at = outbox ? line.findIndex((w) => !w.outbox) : -1;
      if (at === -1) line.push(waiter);
      else line.splice(at, 0, waiter);
      if (!serving) {
        serving = true;
        neutral.runInAsyncScope(() => void serve());
      }
      neutral.runInAsyncScope(watch);
    });

  /** The waiter whose turn is being asked for now (its ask may hang: the database). */
  let asking: Waiter | null = null;
  /**
   * Lets go overdue waiters even while the head's ask hangs (a stuck connection):
   * only the head waits for it then, as each call did for its own before the line.
   */
  let watchdog: NodeJS.Timeout | null = null;
  function watch(): void {
    // Not for the waiter being asked for: the loop lets it go after its ask, and a
    // timer for it, overdue already, would fire again every millisecond while it hangs.
    const others = line.filter((w) => w !== asking);
    if (watchdog || others.length === 0) return;
    const soonest = Math.min(...others.map((w) => w.since + maxWaitMs));
    watchdog = setTimeout(
      () => {
        watchdog = null;
        releaseOverdue();
        watch();
      },
      Math.max(1, soonest - Date.now()),
    );
    watchdog.unref();
  }

  /** Takes a waiter out of the line by identity: others may have been put ahead of it meanwhile. */
  const leave = (waiter: Waiter) => {
    const at = line.indexOf(waiter);
    if (at !== -1) line.splice(at, 1);
  };

  /** Lets go, to be sent anyway, every waiter that waited its longest; ms until the next one does. */
  const releaseOverdue = (): number => {
    let next = Number.POSITIVE_INFINITY;
    for (const waiter of [...line]) {
      if (waiter === asking) continue;
      const left = maxWaitMs - (Date.now() - waiter.since);
      if (left > 0) next = Math.min(next, left);
      else {
        leave(waiter);
        waiter.done(null);
      }
    }
    return next;
  };

  async function serve(): Promise<void> {
    try {
      while (line.length > 0) {
        const untilOverdue = releaseOverdue();
        if (line.length === 0) break;
        const head = line[0];
        let taken: Awaited<ReturnType<CallBudget["take"]>>;
        asking = head;
        try {
          taken = await budget.take(head.chatId, head.calls, { outbox: head.outbox });
        } catch (err) {
          leave(head);
          head.fail(err);
          continue;
        } finally {
          asking = null;
        }
        if ("id" in taken) {
          leave(head);
          head.done(taken.id);
        } else if (taken.botWideMs <= 0) {
          leave(head);
          head.done({ chatWaitMs: taken.waitMs });
        } else await sleep(Math.max(1, Math.min(taken.botWideMs, untilOverdue)));
      }
    } finally {
      serving = false;
    }
  }

  return {
    async take(chatId, outbox, calls = 1) {
      const since = Date.now();
      for (;;) {
        const turn = await join(chatId, outbox, calls, since);
        if (turn === null || typeof turn === "number") return turn;
        const left = maxWaitMs - (Date.now() - since);
        if (left <= 0) return null;
        // Its chat is full: it waits on its own, then takes its turn again.
        await sleep(Math.max(1, Math.min(turn.chatWaitMs, left)));
      }
    },
    waiting: () => line.length,
  };
}
