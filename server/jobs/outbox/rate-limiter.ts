/**
 * Telegram's published limits, held by one process: about 30 messages a second
 * for the bot, one a second per private chat, twenty a minute per group. Each is a
 * sliding window over the send times actually used, so no window of that length
 * ever holds more than the limit.
 */
export interface WindowLimit {
  count: number;
  windowMs: number;
}

export interface RateLimits {
  global: WindowLimit;
  privateChat: WindowLimit;
  groupChat: WindowLimit;
}

export const TELEGRAM_LIMITS: RateLimits = {
  global: { count: 30, windowMs: 1000 },
  privateChat: { count: 1, windowMs: 1000 },
  groupChat: { count: 20, windowMs: 60_000 },
};

/** Groups and channels have negative chat ids in the Bot API. */
export const isGroupChat = (chatId: number) => chatId < 0;

/** A send holding a place in a window: in flight until settled, then dated by its completion. */
interface Entry {
  doneAt: number | null;
}

/**
 * Counts a send from the moment it is taken until one window after Telegram
 * answered it. Dating by the answer (not the request) is what makes the limit
 * hold for arrival times too: a slow request can never let the next one land
 * inside the same window.
 */
class SlidingWindow {
  private entries: Entry[] = [];
  constructor(private readonly limit: WindowLimit) {}

  /** A row's calls, as many as the window can ever hold (a larger row goes when it is empty). */
  fit(calls: number): number {
    return Math.max(1, Math.min(calls, this.limit.count));
  }

  /** Milliseconds until `calls` more sends fit (0 = now). */
  waitMs(now: number, calls = 1): number {
    this.entries = this.entries.filter((e) => e.doneAt === null || now - e.doneAt < this.limit.windowMs);
    const over = this.entries.length + this.fit(calls) - this.limit.count;
    if (over <= 0) return 0;
    const done = this.entries
      .filter((e) => e.doneAt !== null)
      .map((e) => e.doneAt as number)
      .sort((a, b) => a - b);
    // Not enough places will free up from finished sends: look again shortly.
    if (done.length < over) return IN_FLIGHT_RECHECK_MS;
    return Math.max(1, done[over - 1] + this.limit.windowMs - now);
  }

  take(calls = 1): Entry[] {
    const taken = Array.from({ length: this.fit(calls) }, (): Entry => ({ doneAt: null }));
    this.entries.push(...taken);
    return taken;
  }

  get idle(): boolean {
    return this.entries.length === 0;
  }
}

const IN_FLIGHT_RECHECK_MS = 5;

export interface Slot {
  settle(): void;
}

export function createRateLimiter(limits: RateLimits = TELEGRAM_LIMITS, now: () => number = Date.now) {
  const global = new SlidingWindow(limits.global);
  const chats = new Map<number, SlidingWindow>();
  const pausedUntil = new Map<number, number>();

  const windowOf = (chatId: number) => {
    let w = chats.get(chatId);
    if (!w) {
      w = new SlidingWindow(isGroupChat(chatId) ? limits.groupChat : limits.privateChat);
      chats.set(chatId, w);
    }
    return w;
  };

  return {
    /** Wait before the bot may make `calls` more calls at all. */
    globalWaitMs: (calls = 1) => global.waitMs(now(), calls),
    /** Wait before this chat may get `calls` more calls (its window and any 429 pause). */
    chatWaitMs(chatId: number, calls = 1): number {
      const t = now();
      return Math.max(windowOf(chatId).waitMs(t, calls), (pausedUntil.get(chatId) ?? 0) - t, 0);
    },
    /**
     * Takes places for a row's calls about to happen (only when both waits are 0);
     * settle them when Telegram answered the last.
     */
    take(chatId: number, calls = 1): Slot {
      const entries = [...global.take(calls), ...windowOf(chatId).take(calls)];
      return {
        settle() {
          const t = now();
          for (const e of entries) e.doneAt ??= t;
        },
      };
    },
    /** Telegram answered 429 with retry_after: nothing goes to that chat before then. */
    pause(chatId: number, ms: number): void {
      pausedUntil.set(chatId, Math.max(pausedUntil.get(chatId) ?? 0, now() + ms));
    },
    /** Forget idle chats so memory stays flat with many recipients. */
    sweep(): void {
      const t = now();
      for (const [id, w] of chats) if (w.waitMs(t) === 0 && w.idle) chats.delete(id);
      for (const [id, until] of pausedUntil) if (until <= t) pausedUntil.delete(id);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
