/**
 * The bot-wide window's places as one claim hands them out, now and a little
 * ahead. A call's place frees one window after Telegram answered it; a claim made
 * only once a place is free adds its own time (waking, the claim's statements, the
 * send) to every place's cycle, and at 30 places a second that cost about a tenth
 * of the rate (28.2 posts/s measured against Telegram's 30). So a claim may also
 * take a place that frees within `aheadMs`: the post is claimed and reserved now
 * and sent when its place is free (`notBeforeMs`). Its reservation counts in the
 * window at once, so another claim (any instance) sees the window over-full by the
 * places taken ahead and skips exactly as many of the places freeing next.
 */
/** How far ahead a claim takes places of the bot-wide window that are about to free. */
export const CLAIM_AHEAD_MS = 50;

export interface FreeingCall {
  /** Milliseconds until this answered call leaves the window. */
  ms: number;
  /** Places it holds. */
  calls: number;
}

export interface GlobalPlaces {
  /**
   * Takes `calls` places (leaving `keepFree` of the window untaken, the reserve for
   * people being answered): how long the post must wait before it is sent, or null
   * when there is no such room within the look-ahead. `needed` (default `calls`):
   * the places that must be free for it; 1 lets a round's first post go with what
   * is free, as a post of more calls than ever come free together would otherwise
   * never go.
   */
  take(calls: number, keepFree: number, needed?: number): number | null;
  /** Whether `calls` places (leaving `keepFree`) free up within the look-ahead. */
  canTake(calls: number, keepFree: number): boolean;
  /** Places taken by this claim so far. */
  readonly taken: number;
  /**
   * When the next claim could find room for `keepFree + 1` more places: ms from
   * now (the look-ahead already taken off), or null when nothing in the window frees.
   */
  nextRoomMs(keepFree: number): number | null;
}

export function globalPlaces(opts: {
  count: number;
  used: number;
  /** The window's answered calls by when they leave it, soonest first. */
  freeing: FreeingCall[];
  aheadMs: number;
}): GlobalPlaces {
  const { count, used, aheadMs } = opts;
  const freeing = [...opts.freeing].sort((a, b) => a.ms - b.ms);
  /** Free places `ms` from now, counting the calls answered by then (and over-full windows). */
  const freeAt = (ms: number) =>
    count - used + freeing.filter((f) => f.ms <= ms).reduce((n, f) => n + f.calls, 0);
  /** The earliest moment (ms from now, 0 = now) with at least `n` free places; null when never. */
  const whenFree = (n: number): number | null => {
    if (freeAt(0) >= n) return 0;
    for (const f of freeing) if (freeAt(f.ms) >= n) return Math.max(0, f.ms);
    return null;
  };
  let taken = 0;
  return {
    take(calls, keepFree, needed = calls) {
      const at = whenFree(taken + needed + keepFree);
      if (at === null || at > aheadMs) return null;
      taken += calls;
      return Math.ceil(at);
    },
    canTake(calls, keepFree) {
      const at = whenFree(taken + calls + keepFree);
      return at !== null && at <= aheadMs;
    },
    get taken() {
      return taken;
    },
    nextRoomMs(keepFree) {
      const at = whenFree(taken + 1 + keepFree);
      return at === null ? null : Math.max(1, Math.ceil(at - aheadMs));
    },
  };
}
