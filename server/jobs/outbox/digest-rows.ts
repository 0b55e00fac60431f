import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type Notification, notifications } from "../../../drizzle/schema/index.js";
import { DIGEST_MAX, digestable } from "./batch.js";

/**
 * The rows a digest covers, tied to its head row (`carried_by`) the first time
 * its post is sent, then read back: the same rows on every retry, so they are
 * counted in the one post that marks them sent (finish.ts).
 *
 * Done here, after the claim has committed, not in the claim: tying up to 999
 * rows (and their index entries) took 50–150 ms with the budget lock held,
 * which every other claim and every answer to a requester waited for
 * (docs/NOTIFICATIONS.md, "Where a claim's time goes in the worker"). Nothing
 * else takes these rows meanwhile: the chat is not due while its post is in
 * flight (claim.ts), and a second instance that takes the post over after its
 * lease finds the head marked and reads the rows the first one tied.
 */
export async function gatherDigest(db: Db, head: Notification): Promise<Notification[]> {
  const n = notifications;
  return db.transaction(async (tx) => {
    // Marked once: a retry must not tie the rows queued since the post first went. A
    // digest claimed by an earlier version tied its rows in the claim: nothing to add.
    const [first] = await tx
      .update(n)
      .set({ payload: sql`${n.payload} || '{"gathered": true}'::jsonb` })
      .where(
        and(
          eq(n.id, head.id),
          sql`(${n.payload} -> 'gathered') is null`,
          sql`not exists (select 1 from notifications c where c.carried_by = ${head.id})`,
        ),
      )
      .returning({ id: n.id });
    if (first) {
      const covered = tx
        .select({ id: n.id })
        .from(n)
        .where(digestable(head))
        .orderBy(n.seq)
        .limit(DIGEST_MAX - 1)
        .for("update", { skipLocked: true });
      await tx.update(n).set({ carriedBy: head.id }).where(inArray(n.id, covered));
    }
    return tx.select().from(n).where(eq(n.carriedBy, head.id)).orderBy(n.seq);
  });
}
