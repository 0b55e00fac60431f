import type { Logger } from "pino";
import type { Telegraf } from "telegraf";
import type { BotContext } from "./context.js";
import type { UpdateClaims } from "./update-claims.js";

export interface HandBackRetry {
  /** First wait before an update is tried again (doubled each time, up to `maxMs`). */
  firstMs?: number;
  maxMs?: number;
}

/**
 * With long polling there is no one to hand an update back to: Telegraf has
 * already moved its offset past the batch. So an update abandoned because the
 * database was unavailable (update-claims.ts) is tried again here, after a wait
 * that doubles up to 30 s, until it is handled. The poll loop waits with it: its
 * batch is confirmed to Telegram only when every update of it is done, so a crash
 * meanwhile gets the batch delivered again, and with the database away nothing
 * else could be handled anyway. Returns a stop that ends the waits (shutdown):
 * what is still abandoned then is logged by update id.
 */
export function retryHandedBack(
  bot: Telegraf<BotContext>,
  claims: UpdateClaims,
  logger: Logger,
  opts: HandBackRetry = {},
): () => void {
  const { firstMs = 1000, maxMs = 30_000 } = opts;
  const handle = bot.handleUpdate.bind(bot);
  let stopping = false;
  const wakers = new Set<() => void>();
  bot.handleUpdate = (async (update: Parameters<typeof handle>[0], res?: Parameters<typeof handle>[1]) => {
    for (let wait = firstMs; ; wait = Math.min(wait * 2, maxMs)) {
      await handle(update, res);
      if (!claims.takeAbandoned(update.update_id)) return;
      if (stopping) {
        logger.error(
          { updateId: update.update_id },
          "update not handled: the database was away until shutdown",
        );
        return;
      }
      logger.warn(
        { updateId: update.update_id, retryInMs: wait },
        "database unavailable: update to be tried again",
      );
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        wakers.add(done);
      });
    }
  }) as typeof bot.handleUpdate;
  return () => {
    stopping = true;
    for (const wake of [...wakers]) wake();
  };
}
