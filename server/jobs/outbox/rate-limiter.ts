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

class SlidingWindow {
  private times: number[] = [];
  constructor(private readonly limit: WindowLimit) {}

  /** Milliseconds until one more send fits (0 = now). */
  waitMs(now: number): number {
    while (this.times.length > 0 && now - this.times[0] >= this.limit.windowMs) this.times.shift();
    if (this.times.length < this.limit.count) return 0;
    return this.times[this.times.length - this.limit.count] + this.limit.windowMs - now;
  }

  record(now: number): void {
    this.times.push(now);
  }

  get idle(): boolean {
    return this.times.length === 0;
  }
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
    /** Takes a slot for a send about to happen. Call only when both waits are 0. */
    take(chatId: number): void {
      const t = now();
      global.record(t);
      windowOf(chatId).record(t);
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
