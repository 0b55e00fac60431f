import type { CallBudget } from "../server/domain/index.js";

/** Longest a call waits for room before it is sent anyway (a 429 is then retried). */
export const MAX_WAIT_MS = 20_000;

/** What the line hands a waiter: a reservation, "go anyway" (null), or "your chat is full: wait this long". */
type Turn = number | null | { chatWaitMs: number };

interface Waiter {
  chatId: number;
  /** A call of an outbox delivery: it goes ahead of the answers waiting (see takeRoom). */
  outbox: boolean;
  since: number;
  done(turn: Turn): void;
  fail(err: unknown): void;
}

export interface RoomQueue {
  /** A reservation for one call to `chatId`, or null when it waited its longest and is to go anyway. */
  take(chatId: number, outbox: boolean): Promise<number | null>;
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

  const join = (chatId: number, outbox: boolean, since: number) =>
    new Promise<Turn>((done, fail) => {
      const waiter = { chatId, outbox, since, done, fail };
      // Outbox calls after the outbox calls already waiting, before every answer.
      const at = outbox ? line.findIndex((w) => !w.outbox) : -1;
      if (at === -1) line.push(waiter);
      else line.splice(at, 0, waiter);
      void serve();
    });

  async function serve(): Promise<void> {
    if (serving) return;
    serving = true;
    try {
      while (line.length > 0) {
        const head = line[0];
        const left = maxWaitMs - (Date.now() - head.since);
        if (left <= 0) {
          line.shift();
          head.done(null);
          continue;
        }
        let taken: Awaited<ReturnType<CallBudget["take"]>>;
        try {
          taken = await budget.take(head.chatId);
        } catch (err) {
          line.shift();
          head.fail(err);
          continue;
        }
        if ("id" in taken) {
          line.shift();
          head.done(taken.id);
        } else if (taken.botWideMs <= 0) {
          line.shift();
          head.done({ chatWaitMs: taken.waitMs });
        } else await sleep(Math.max(1, Math.min(taken.botWideMs, left)));
      }
    } finally {
      serving = false;
    }
  }

  return {
    async take(chatId, outbox) {
      const since = Date.now();
      for (;;) {
        const turn = await join(chatId, outbox, since);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
