import { and, eq, lt, ne, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { processedUpdates } from "../../../drizzle/schema/index.js";

/*
 * The rows behind the bot's update claims (bot/update-claims.ts decides when to
 * use them): an update's claim is inserted with its update state (update-state.ts),
 * finished after its handlers, and taken over from a holder that stopped.
 */

/** Marks claims finished: their handlers ran to the end. */
export async function finishUpdateClaims(db: Db, updateIds: number[]): Promise<void> {
  if (updateIds.length === 0) return;
  // One array parameter, not a list: one prepared statement whatever the batch's size
  // (a list made a statement per size, each described and planned on first use).
  const ids = `{${updateIds.map((id) => Math.trunc(id)).join(",")}}`;
  await db
    .update(processedUpdates)
    .set({ finished: true })
    .where(sql`${processedUpdates.updateId} = any(${ids}::bigint[])`);
}

/**
 * Takes an unfinished claim from another holder: any (`olderThanMs` null), or one
 * that was claimed longer ago than that. False: finished, ours, or still fresh.
 */
export async function takeOverUpdateClaim(
  db: Db,
  input: { updateId: number; holder: string; olderThanMs: number | null },
): Promise<boolean> {
  const rows = await db
    .update(processedUpdates)
    .set({ processedAt: sql`now()`, claimedBy: input.holder })
    .where(
      and(
        eq(processedUpdates.updateId, input.updateId),
        eq(processedUpdates.finished, false),
        ne(processedUpdates.claimedBy, input.holder),
        input.olderThanMs === null
          ? undefined
          : lt(processedUpdates.processedAt, sql`now() - make_interval(secs => ${input.olderThanMs / 1000})`),
      ),
    )
    .returning({ id: processedUpdates.updateId });
  return rows.length > 0;
}

/** The claim's holder while it is open; null when finished, absent, or written before claims. */
export async function openUpdateClaimHolder(db: Db, updateId: number): Promise<string | null> {
  const [row] = await db
    .select({ finished: processedUpdates.finished, by: processedUpdates.claimedBy })
    .from(processedUpdates)
    .where(eq(processedUpdates.updateId, updateId));
  return row && !row.finished ? row.by : null;
}

/**
 * Gives back an unfinished claim this holder took (its handlers failed because the
 * database was unavailable): the next delivery of the update, to any instance,
 * takes it at once instead of waiting for the claim to age.
 */
export async function releaseUpdateClaim(db: Db, input: { updateId: number; holder: string }): Promise<void> {
  await db
    .delete(processedUpdates)
    .where(
      and(
        eq(processedUpdates.updateId, input.updateId),
        eq(processedUpdates.claimedBy, input.holder),
        eq(processedUpdates.finished, false),
      ),
    );
}
