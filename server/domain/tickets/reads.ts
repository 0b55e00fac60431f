import { sql } from "drizzle-orm";
import { ticketReads } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";

/**
 * Opening a thread marks it read up to its last message shown (the queue's unread
 * count). Never moves back: a slower request that read less cannot undo a newer read.
 */
export async function markThreadRead(ctx: ServiceContext, ticketId: string, lastSeq: number): Promise<void> {
  if (!ctx.actor.id) return; // the system reads threads for its own work, not as a reader
  await ctx.db
    .insert(ticketReads)
    .values({ userId: ctx.actor.id, ticketId, lastSeq, readAt: ctx.clock.now() })
    .onConflictDoUpdate({
      target: [ticketReads.userId, ticketReads.ticketId],
      set: {
        lastSeq: sql`greatest(${ticketReads.lastSeq}, excluded.last_seq)`,
        readAt: sql`excluded.read_at`,
      },
    });
}
