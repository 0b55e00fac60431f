import type { Db } from "../drizzle/client.js";
import { processedUpdates } from "../drizzle/schema/index.js";
import type { Logger } from "../server/logger.js";

/**
 * The record of update ids whose handlers have run, written in batches.
 *
 * Marking each update on its own cost one database round trip per update, a
 * tenth of the bot's work on its busiest path. Instead the ids wait here for a
 * few milliseconds and go in with one insert. An id waiting here already counts
 * as processed for this instance; another instance sees it after the flush, long
 * before Telegram would deliver the update again (a webhook retry comes seconds
 * later). A crash before the flush loses only the marks: those updates ran to
 * the end, and a redelivery of one of them is made harmless by the idempotent
 * verbs (a Telegram message is stored once), exactly as when the process dies
 * between a handler and its mark.
 */
export interface ProcessedUpdates {
  /** True when the id was marked by this instance and is not written yet. */
  pending(updateId: number): boolean;
  mark(updateId: number): void;
  /** Writes what waits (shutdown, tests). */
  flush(): Promise<void>;
}

export function createProcessedUpdates(db: Db, logger: Logger, delayMs = 10): ProcessedUpdates {
  const waiting = new Set<number>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    timer = null;
    const ids = [...waiting];
    if (ids.length === 0) return;
    try {
      await db
        .insert(processedUpdates)
        .values(ids.map((updateId) => ({ updateId })))
        .onConflictDoNothing();
      for (const id of ids) waiting.delete(id);
    } catch (err) {
      // Kept for the next try: the ids still count as processed here meanwhile.
      logger.warn({ err, count: ids.length }, "could not record processed updates; retrying");
      timer ??= setTimeout(flushNow, 1000).unref();
    }
  };
  const flushNow = () => {
    writing = writing.then(write);
    return writing;
  };

  return {
    pending: (updateId) => waiting.has(updateId),
    mark(updateId) {
      waiting.add(updateId);
      timer ??= setTimeout(flushNow, delayMs);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flushNow();
    },
  };
}
