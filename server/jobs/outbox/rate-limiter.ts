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

  /** Milliseconds until one more send fits (0 = now). */
  waitMs(now: number): number {
    this.entries = this.entries.filter((e) => e.doneAt === null || now - e.doneAt < this.limit.windowMs);
    if (this.entries.length < this.limit.count) return 0;
    const done = this.entries.filter((e) => e.doneAt !== null).map((e) => e.doneAt as number);
    // All places held by sends still in flight: look again shortly.
    if (done.length === 0) return IN_FLIGHT_RECHECK_MS;
    return Math.max(1, Math.min(...done) + this.limit.windowMs - now);
  }

  take(): Entry {
    const entry: Entry = { doneAt: null };
    this.entries.push(entry);
    return entry;
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
    /** Wait before the bot may send anything at all. */
    globalWaitMs: () => global.waitMs(now()),
    /** Wait before this chat may get a message (its window and any 429 pause). */
    chatWaitMs(chatId: number): number {
      const t = now();
      return Math.max(windowOf(chatId).waitMs(t), (pausedUntil.get(chatId) ?? 0) - t, 0);
    },
    /** Takes a place for a send about to happen (only when both waits are 0); settle it when Telegram answers. */
    take(chatId: number): Slot {
      const entries = [global.take(), windowOf(chatId).take()];
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
