import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../drizzle/client.js";
import { processedUpdates } from "../drizzle/schema/index.js";
import type { Logger } from "../server/logger.js";

/**
 * Each update takes effect once, even when Telegram delivers it again (a webhook
 * retry, a restart before the poll offset was confirmed) or two instances get it
 * at the same time.
 *
 * - Claim: the first statement for every update inserts its id (the load query
 *   of update-state.ts does it in the same round trip as the sender and the
 *   session). The arrival whose insert wins runs the handlers.
 * - Another arrival of a claimed update waits until the claim is finished, then
 *   does nothing. A claim still open after `ttlMs` (longer than the 30 s handler
 *   timeout) was left by a process that died half-way: the waiting arrival takes
 *   it over and runs the update, so a crash loses nothing; the verbs that store
 *   Telegram messages are idempotent for what the dead process already did.
 * - Finish: after the handlers, also when they failed with an answer. Finished
 *   ids are written in batches every few milliseconds (one write per update was
 *   a tenth of the bot's database work); until then this instance knows them.
 */
export interface UpdateClaims {
  /** Finished here, not written yet. */
  finishedHere(updateId: number): boolean;
  finish(updateId: number): void;
  /** Waits on a claim another arrival holds: finished (nothing to do), or abandoned and now ours. */
  waitForClaim(updateId: number): Promise<"finished" | "taken">;
  /** Writes the finished ids that wait (shutdown; tests). */
  flush(): Promise<void>;
}

export interface UpdateClaimOptions {
  ttlMs?: number;
  pollMs?: number;
  batchMs?: number;
}

export function createUpdateClaims(db: Db, logger: Logger, opts: UpdateClaimOptions = {}): UpdateClaims {
  const { ttlMs = 60_000, pollMs = 100, batchMs = 10 } = opts;
  const waiting = new Set<number>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    timer = null;
    const ids = [...waiting];
    if (ids.length === 0) return;
    try {
      await db
        .update(processedUpdates)
        .set({ finished: true })
        .where(inArray(processedUpdates.updateId, ids));
      for (const id of ids) waiting.delete(id);
    } catch (err) {
      // Kept for the next try; meanwhile other arrivals wait, and this instance knows.
      logger.warn({ err, count: ids.length }, "could not record finished updates; retrying");
      timer ??= setTimeout(flushNow, 1000).unref();
    }
  };
  const flushNow = () => {
    writing = writing.then(write);
    return writing;
  };

  const takeOver = (updateId: number) =>
    db
      .update(processedUpdates)
      .set({ processedAt: sql`now()` })
      .where(
        and(
          eq(processedUpdates.updateId, updateId),
          eq(processedUpdates.finished, false),
          lt(processedUpdates.processedAt, sql`now() - make_interval(secs => ${ttlMs / 1000})`),
        ),
      )
      .returning({ id: processedUpdates.updateId });

  return {
    finishedHere: (updateId) => waiting.has(updateId),
    finish(updateId) {
      waiting.add(updateId);
      timer ??= setTimeout(flushNow, batchMs);
    },
    async waitForClaim(updateId) {
      for (;;) {
        if (waiting.has(updateId)) return "finished";
        if ((await takeOver(updateId)).length > 0) return "taken";
        const [row] = await db
          .select({ finished: processedUpdates.finished })
          .from(processedUpdates)
          .where(eq(processedUpdates.updateId, updateId));
        if (!row || row.finished) return "finished";
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flushNow();
    },
  };
}
