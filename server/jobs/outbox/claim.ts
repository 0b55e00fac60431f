import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type Notification, notifications } from "../../../drizzle/schema/index.js";
import { type RateLimits, TELEGRAM_LIMITS } from "./rate-limiter.js";

/** The advisory lock claim rounds take ("outbox" in ASCII). */
const CLAIM_LOCK = 0x6f7574626f78;

/**
 * Claims up to `limit` notifications that are due, oldest first, but only the
 * oldest undelivered one of each chat, so every chat receives its messages in
 * order. `FOR UPDATE SKIP LOCKED` lets several workers (several instances on one
 * PostgreSQL) claim side by side without taking the same row. A row left in
 * "sending" by a crashed worker becomes due again when its lease runs out.
 *
 * Telegram's limits are the bot's, not one process's: with several instances
 * each process's own limiter is not enough. So the claim also counts what every
 * instance did, from the rows themselves: the bot-wide window holds the rows in
 * flight (an unexpired lease) and those answered within it; a chat's window holds
 * the rows it was sent within it. `full` says the bot-wide window had no room.
 */
export async function claimDue(
  tx: Db,
  limit: number,
  limits: RateLimits = TELEGRAM_LIMITS,
): Promise<{ rows: Notification[]; full: boolean }> {
  const n = notifications;
  const seconds = (ms: number) => ms / 1000;
  // One claim at a time across instances (until this transaction ends), so two cannot
  // both count the same free room.
  await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
  const [{ busy }] = await tx
    .select({ busy: sql<number>`count(*)::int` })
    .from(n)
    .where(
      sql`(${n.state} = 'sending' and ${n.nextAttemptAt} > now())
        or (${n.state} = 'sent' and ${n.sentAt} > now() - make_interval(secs => ${seconds(limits.global.windowMs)}))`,
    );
  const room = Math.min(limit, limits.global.count - busy);
  if (room <= 0) return { rows: [], full: true };
  const { groupChat: group, privateChat: one } = limits;
  const rows = await tx
    .select()
    .from(n)
    .where(
      sql`${n.state} in ('pending', 'sending') and ${n.nextAttemptAt} <= now()
        and not exists (
          select 1 from ${notifications} as older
          where older.chat_id = ${n.chatId} and older.seq < ${n.seq} and older.state in ('pending', 'sending')
        )
        and (
          select count(*) from ${notifications} as recent
          where recent.chat_id = ${n.chatId} and recent.state = 'sent'
            and recent.sent_at > now() - make_interval(secs => case when ${n.chatId} < 0
              then ${seconds(group.windowMs)}::float8 else ${seconds(one.windowMs)}::float8 end)
        ) < case when ${n.chatId} < 0 then ${group.count}::int else ${one.count}::int end`,
    )
    .orderBy(n.seq)
    .limit(room)
    .for("update", { skipLocked: true });
  return { rows, full: false };
}

/** Rows a round marked "sending", and the lease it gave them (the database's text). */
export interface UnconfirmedClaim {
  ids: string[];
  leaseEnd: string;
}

/**
 * Puts back rows of a claim whose round failed before delivering anything, if
 * the claim did commit: they become due at once, the attempt uncounted. Only rows
 * still holding exactly that lease are touched, so a later claim of the same rows
 * (by any instance, after this one's rolled back) is left alone.
 */
export async function releaseClaim(db: Db, claim: UnconfirmedClaim): Promise<void> {
  const n = notifications;
  await db
    .update(n)
    .set({ state: "pending", attempts: sql`greatest(${n.attempts} - 1, 0)`, nextAttemptAt: sql`now()` })
    .where(
      and(
        inArray(n.id, claim.ids),
        eq(n.state, "sending"),
        sql`${n.nextAttemptAt} = ${claim.leaseEnd}::timestamptz`,
      ),
    );
}
