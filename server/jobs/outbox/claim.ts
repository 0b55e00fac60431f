import { sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type Notification, notifications } from "../../../drizzle/schema/index.js";

/**
 * Claims up to `limit` notifications that are due, oldest first, but only the
 * oldest undelivered one of each chat, so every chat receives its messages in
 * order. `FOR UPDATE SKIP LOCKED` lets several workers (several instances on one
 * PostgreSQL) claim side by side without taking the same row. A row left in
 * "sending" by a crashed worker becomes due again when its lease runs out.
 */
export async function claimDue(tx: Db, limit: number): Promise<Notification[]> {
  const n = notifications;
  const rows = await tx
    .select()
    .from(n)
    .where(
      sql`${n.state} in ('pending', 'sending') and ${n.nextAttemptAt} <= now()
        and not exists (
          select 1 from ${notifications} as older
          where older.chat_id = ${n.chatId} and older.seq < ${n.seq} and older.state in ('pending', 'sending')
        )`,
    )
    .orderBy(n.seq)
    .limit(limit)
    .for("update", { skipLocked: true });
  return rows;
}
