import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { notifications } from "../../../drizzle/schema/index.js";
import {
  BUDGET_LOCK,
  chatLimit,
  interactiveReserve,
  placesFor,
  type RateLimits,
  rowsOf,
  TELEGRAM_LIMITS,
  waitFor,
} from "../../domain/delivery/budget.js";
import { type Batch, planBatch } from "./batch.js";
import { readClaimView, runPrepared } from "./claim-read.js";
import { writeClaim } from "./claim-write.js";
import { chatDueIn } from "./finish.js";
import { CLAIM_AHEAD_MS, globalPlaces } from "./global-places.js";

/** One post a round makes: its row, the rows it carries, and the calls reserved for it. */
export interface ClaimedPost extends Batch {
  reservation: number;
  calls: number;
  /** Milliseconds to wait before sending: its place in the bot-wide window frees then (global-places.ts). */
  notBeforeMs: number;
}

/**
 * Claims what is due, at a cost that follows what it takes, not the backlog:
 * the chats that are due come from `delivery_chats` (one row per chat, by
 * due time), and each chat's queue is read from its head through a partial
 * index. One post per chat per round keeps each chat's order; the head is
 * always the chat's oldest queued row. The windows are Telegram's, counted
 * across instances in `bot_calls` (server/domain/delivery/budget.ts): a post's
 * calls are reserved in the claim, so the bot's own answers and every instance
 * share them. A chat over its budget gets merged posts, or a digest (batch.ts).
 * `FOR UPDATE SKIP LOCKED` and the budget lock keep several instances apart.
 *
 * Three statements: the budget lock and one read (claim-read.ts), sent together,
 * and one write (claim-write.ts); planBatch adds reads only for a chat over its budget.
 */
export async function claimDue(
  tx: Db,
  limit: number,
  limits: RateLimits = TELEGRAM_LIMITS,
  leaseMs = 60_000,
): Promise<{ posts: ClaimedPost[]; soonestMs: number; leaseEnd?: string }> {
  // The lock is a statement of its own: the read's snapshot must be taken after the
  // lock is held. Both are sent at once (one round trip, not two): the driver sends
  // them in the order they are made, and PostgreSQL runs the read when the lock is
  // granted (tests/jobs/outbox-postgres.test.ts holds the lock and checks the read
  // sees what committed meanwhile).
  // The claim's commit does not wait for its WAL to reach the disk (a fsync, about
  // 0.9 ms here, with the budget lock held until it ends). Safe because no message is
  // posted on a claim alone: before each the ledger writes its intent in a commit that
  // does wait, and that flush takes the claim's earlier WAL with it. A database crash in
  // between loses only the claim (its rows pending again, as after a lease); the calls
  // outside the ledger (card edits, topic calls) are the kind that may be made again.
  const [, view] = await Promise.all([
    runPrepared(
      tx,
      "outbox_claim_lock",
      sql`(select 1 from (select pg_advisory_xact_lock(${BUDGET_LOCK}), set_config('synchronous_commit', 'off', true)) locked)`,
    ),
    readClaimView(tx, limit, limits),
  ]);
  const places = globalPlaces({
    count: limits.global.count,
    used: view.globalUsed,
    freeing: view.globalFreeing,
    aheadMs: CLAIM_AHEAD_MS,
  });
  const recheck = Math.max(5, limits.global.windowMs / 4);
  if (!places.canTake(1, 0)) return { posts: [], soonestMs: places.nextRoomMs(0) ?? recheck };
  if (view.chats.length === 0) return { posts: [], soonestMs: await soonestDue(tx) };
  const posts: ClaimedPost[] = [];
  /** Chats to look at again later (ms from now), and chats found empty. */
  const later = new Map<number, number>();
  const idle: number[] = [];
  // Only while someone is being answered: otherwise a backlog drains at Telegram's full rate.
  const reserve = view.interactive ? interactiveReserve(limits) : 0;
  /** An ordinary chat left waiting for the reserve: the next round is when the window frees, not at once. */
  let heldByReserve = false;
  /**
   * Places the first post left without room needs. No chat after it takes places
   * this round, so places gather for it: otherwise posts of one call would take each
   * place as it frees and a post of more calls (a staff post with its card edit)
   * would never find them free together.
   */
  let waitingFor = 0;
  for (const { chatId, head, queued, room, live, dueAt } of view.chats) {
    if (!head) {
      idle.push(chatId);
      continue;
    }
    const headWait = Math.max(0, head.nextAttemptAt.getTime() - view.now);
    if (headWait > 0 || room.pausedMs > 0) {
      later.set(chatId, Math.max(headWait, room.pausedMs));
      continue;
    }
    // No room in this round: due again as of its head's age, so it keeps its place in line.
    const waited = -Math.max(0, view.now - head.createdAt.getTime());
    // Already due as of its head's age (the usual case): nothing to write for it. Half
    // of a full claim's chats are these, and rewriting them was a third of its write.
    const keepPlace = () => {
      if (Math.abs(dueAt - head.createdAt.getTime()) > 1) later.set(chatId, waited);
    };
    // The live lane may use the whole window; the others leave the reserve to it and the bot's answers.
    const keep = live ? 0 : reserve;
    const hasPlace = places.canTake(1, keep);
    if (posts.length >= limit || !hasPlace || waitingFor > 0) {
      if (!hasPlace) heldByReserve = true;
      keepPlace();
      continue;
    }
    const limitOfChat = chatLimit(limits, chatId);
    const roomNow = Math.max(0, limitOfChat.count - room.used);
    const batch = await planBatch(tx, head, queued, roomNow, limits);
    const calls = placesFor(limitOfChat, batch.calls);
    const wait = waitFor(limitOfChat, room.used, room.freesInMs, calls);
    if (wait > 0) {
      later.set(chatId, wait);
      continue;
    }
    // Every call of a post has its place in the bot-wide window before it goes: a post
    // let go with fewer (as a round's first post once was) went past Telegram's 30 a
    // second with its second call. One of more calls than the window can ever hold free
    // (beside the reserve) goes when that many are free.
    const needed = Math.min(calls, Math.max(1, limits.global.count - keep));
    const notBeforeMs = places.take(calls, keep, needed);
    if (notBeforeMs === null) {
      waitingFor = needed + keep;
      keepPlace();
      continue;
    }
    posts.push({ ...batch, calls, reservation: 0, notBeforeMs });
    // In flight: looked at again when the post is done (finish.ts) or its lease ends.
    later.set(chatId, leaseMs);
  }
  const { reservations, leaseEnd } = await writeClaim(tx, {
    posts: posts.map((p) => ({
      chatId: p.head.chatId,
      headId: p.head.id,
      // Every kind is kept, "single" too: a retry must be the same post (batch.ts).
      batch: (p.head.payload as { batch?: string }).batch !== p.kind ? p.kind : null,
      freshCarried: p.carried.filter((c) => c.carriedBy === null).map((c) => c.id),
      calls: p.calls,
    })),
    later,
    idle,
    leaseMs,
  });
  for (const post of posts) post.reservation = reservations.get(post.head.chatId) as number;
  const soonestMs =
    posts.length > 0
      ? 0
      : waitingFor > 0
        ? (places.nextRoomMs(waitingFor - 1) ?? recheck)
        : heldByReserve
          ? (places.nextRoomMs(reserve) ?? recheck)
          : await soonestDue(tx);
  return { posts, soonestMs, leaseEnd };
}

/** Milliseconds until the next chat is due (capped: the worker sleeps at most its idle time). */
async function soonestDue(tx: Db): Promise<number> {
  const [row] = rowsOf<{ ms: number | null }>(
    await tx.execute(sql`
      select (extract(epoch from min(due_at) - now()) * 1000)::float8 as ms from delivery_chats where due_at is not null`),
  );
  return row?.ms === null || row?.ms === undefined
    ? Number.POSITIVE_INFINITY
    : Math.max(1, Math.ceil(Number(row.ms)));
}

/**
 * Makes chats due again whose queue a claim found empty while a row for them was
 * being written (the trigger saw the chat still active, the claim did not yet see
 * the row). Looks only at chats gone idle lately, so it costs what just changed.
 */
export async function reviveIdleChats(db: Db): Promise<void> {
  await db.execute(sql`
    update delivery_chats d set due_at = now(), idle_since = null
    where d.due_at is null and d.idle_since > now() - interval '2 minutes'
      and exists (select 1 from notifications n where n.chat_id = d.chat_id and n.state in ('pending', 'sending'))`);
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
  const released = await db
    .update(n)
    .set({ state: "pending", attempts: sql`greatest(${n.attempts} - 1, 0)`, nextAttemptAt: sql`now()` })
    .where(
      and(
        inArray(n.id, claim.ids),
        eq(n.state, "sending"),
        sql`${n.nextAttemptAt} = ${claim.leaseEnd}::timestamptz`,
      ),
    )
    .returning({ chatId: n.chatId });
  for (const { chatId } of released) await chatDueIn(db, chatId, 0);
}
