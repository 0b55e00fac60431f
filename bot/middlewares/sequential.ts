import type { Middleware } from "telegraf";
import type { BotContext } from "../context.js";

/**
 * Telegraf handles a batch of polled updates (and concurrent webhook calls) in
 * parallel. Two quick messages of one person must not race on their session
 * (a title and a button tap), so updates of one chat run one after another;
 * different chats still run side by side.
 */
export function sequentialPerChat(): Middleware<BotContext> {
  const tails = new Map<number, Promise<unknown>>();
  return async (ctx, next) => {
    const key = ctx.chat?.id ?? ctx.from?.id;
    if (key === undefined) return next();
    const previous = tails.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => {}).then(() => next());
    tails.set(key, mine);
    try {
      return await mine;
    } finally {
      if (tails.get(key) === mine) tails.delete(key);
    }
  };
}
