import { FAILURES, type Failure } from "./failures.js";

/**
 * Telegram's flood limits as the fake Bot API enforces them when asked to
 * (`enforceLimits`): about 30 calls a second for the bot, one a second per
 * private chat, twenty a minute per group. Each is a sliding window over the
 * calls Telegram accepted; a call beyond one is refused with 429 and the
 * seconds until that window has room, as Telegram answers. A benchmark then
 * sees every call the product makes too early, instead of a fake that takes
 * anything.
 */
export interface LimitWindow {
  count: number;
  windowMs: number;
}

export interface FakeLimits {
  bot: LimitWindow;
  privateChat: LimitWindow;
  group: LimitWindow;
}

export const TELEGRAM_FLOOD_LIMITS: FakeLimits = {
  bot: { count: 30, windowMs: 1000 },
  privateChat: { count: 1, windowMs: 1000 },
  group: { count: 20, windowMs: 60_000 },
};

export type ChatKind = "private" | "group";

/** 429s answered, by the window that refused (the bot's, else the chat's kind), and calls counted. */
export interface LimitStats {
  counted: number;
  refused: { bot: number; private: number; group: number };
  /** 429s per chat id, to find the chats the product sends to too early. */
  refusedChats: Map<number, number>;
}

export interface LimitOptions {
  limits?: FakeLimits;
  /** The clock (tests move it instead of sleeping). */
  now?: () => number;
}

/**
 * Calls that put something into a chat (a message, an edit, a topic's service
 * message) and so count against its limits. Reads (get*), "typing…", callback
 * answers, webhook and command settings post nothing.
 */
const COUNTED =
  /^(send(?!ChatAction$)|copyMessages?$|forwardMessages?$|edit|createForumTopic$|closeForumTopic$|reopenForumTopic$)/;

export const isCountedMethod = (method: string) => COUNTED.test(method);

export function createLimits(opts: LimitOptions = {}) {
  const limits = opts.limits ?? TELEGRAM_FLOOD_LIMITS;
  const now = opts.now ?? Date.now;
  const botCalls: number[] = [];
  const chatCalls = new Map<number, number[]>();
  const stats: LimitStats = {
    counted: 0,
    refused: { bot: 0, private: 0, group: 0 },
    refusedChats: new Map(),
  };

  /** Drops what left the window; the ms until one more fits, or 0 when it fits now. */
  function waitIn(times: number[], limit: LimitWindow, at: number): number {
    while (times.length > 0 && times[0] <= at - limit.windowMs) times.shift();
    if (times.length < limit.count) return 0;
    return times[times.length - limit.count] + limit.windowMs - at;
  }

  return {
    stats,
    /** Counts one call to `chatId`; a 429 to answer instead when a window is full. */
    check(method: string, chatId: number): Failure | undefined {
      if (!isCountedMethod(method) || !Number.isFinite(chatId)) return undefined;
      const at = now();
      const kind: ChatKind = chatId < 0 ? "group" : "private";
      const chatLimit = kind === "group" ? limits.group : limits.privateChat;
      const times = chatCalls.get(chatId) ?? [];
      chatCalls.set(chatId, times);
      const botWait = waitIn(botCalls, limits.bot, at);
      const chatWait = waitIn(times, chatLimit, at);
      const wait = Math.max(botWait, chatWait);
      if (wait > 0) {
        stats.refused[chatWait > 0 ? kind : "bot"]++;
        stats.refusedChats.set(chatId, (stats.refusedChats.get(chatId) ?? 0) + 1);
        // Telegram names whole seconds, never 0: a client waiting that long finds room.
        return FAILURES.tooMany(Math.max(1, Math.ceil(wait / 1000)));
      }
      botCalls.push(at);
      times.push(at);
      stats.counted++;
      return undefined;
    },
  };
}

export type Limits = ReturnType<typeof createLimits>;
