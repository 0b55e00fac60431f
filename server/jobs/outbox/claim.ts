import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type Notification, notifications } from "../../../drizzle/schema/index.js";
import {
  BUDGET_LOCK,
  type ChatRoom,
  chatLimit,
  chatRooms,
  globalUse,
  placesFor,
  type RateLimits,
  reserve,
  rowsOf,
  TELEGRAM_LIMITS,
  waitFor,
} from "../../domain/delivery/budget.js";
import { type Batch, planBatch } from "./batch.js";
import { chatDueIn } from "./finish.js";

/** One post a round makes: its row, the rows it carries, and the calls reserved for it. */
export interface ClaimedPost extends Batch {
  reservation: number;
  calls: number;
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
 */
export async function claimDue(
  tx: Db,
  limit: number,
  limits: RateLimits = TELEGRAM_LIMITS,
  leaseMs = 60_000,
): Promise<{ posts: ClaimedPost[]; soonestMs: number; leaseEnd?: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${BUDGET_LOCK})`);
  const all = await globalUse(tx, limits);
  let globalLeft = limits.global.count - all.used;
  const recheck = Math.max(5, limits.global.windowMs / 4);
  if (globalLeft <= 0) return { posts: [], soonestMs: Math.max(1, Math.ceil(all.freesInMs ?? recheck)) };
  const due = await dueChats(tx, Math.min(limit, globalLeft) * 2);
  if (due.length === 0) return { posts: [], soonestMs: await soonestDue(tx) };
  const rooms = await chatRooms(tx, due, limits);
  const heads = await queueHeads(tx, due, limits);
  const posts: ClaimedPost[] = [];
  /** Chats to look at again later (ms from now), and chats found empty. */
  const later = new Map<number, number>();
  const idle: number[] = [];
  for (const chatId of due) {
    const head = heads.get(chatId);
    if (!head) {
      idle.push(chatId);
      continue;
    }
    const room = rooms.get(chatId) as ChatRoom;
    const headWait = Math.max(0, head.row.nextAttemptAt.getTime() - head.now);
    if (headWait > 0 || room.pausedMs > 0) {
      later.set(chatId, Math.max(headWait, room.pausedMs));
      continue;
    }
    // No room in this round: due again as of its head's age, so it keeps its place in line.
    const waited = -Math.max(0, head.now - head.row.createdAt.getTime());
    if (posts.length >= limit || globalLeft <= 0) {
      later.set(chatId, waited);
      continue;
    }
    const limitOfChat = chatLimit(limits, chatId);
    const roomNow = Math.max(0, limitOfChat.count - room.used);
    const batch = await planBatch(tx, head.row, head.queued, roomNow, limits);
    const calls = placesFor(limitOfChat, batch.calls);
    const wait = waitFor(limitOfChat, room.used, room.freesInMs, calls);
    if (wait > 0) {
      later.set(chatId, wait);
      continue;
    }
    if (calls > globalLeft && posts.length > 0) {
      later.set(chatId, waited);
      continue;
    }
    globalLeft -= calls;
    posts.push({ ...batch, calls, reservation: 0 });
    // In flight: looked at again when the post is done (finish.ts) or its lease ends.
    later.set(chatId, leaseMs);
  }
  const reservations = await reserve(
    tx,
    posts.map((p) => ({ chatId: p.head.chatId, calls: p.calls })),
    leaseMs,
  );
  for (const post of posts) post.reservation = reservations.get(post.head.chatId) as number;
  const leaseEnd = await markClaimed(tx, posts, leaseMs);
  await reschedule(tx, later, idle);
  return { posts, soonestMs: posts.length > 0 ? 0 : await soonestDue(tx), leaseEnd };
}

/**
 * The chats to look at, groups first: staff act on what a group shows, a group's
 * own window (20 a minute) keeps it to a sliver of the bot's 30 a second, and
 * it is not made to wait behind hundreds of private chats in a burst. Then the
 * private chats, longest waiting first (a chat's due time is its next row's age
 * once it may be sent to: finish.ts, and `waited` above).
 */
async function dueChats(tx: Db, max: number): Promise<number[]> {
  const pick = async (side: ReturnType<typeof sql>, n: number) =>
    rowsOf<{ chat_id: string }>(
      await tx.execute(sql`
        select chat_id from delivery_chats where due_at <= now() and ${side}
        order by due_at limit ${n} for update skip locked`),
    ).map((r) => Number(r.chat_id));
  const groups = await pick(sql`chat_id < 0`, max);
  return groups.length >= max ? groups : [...groups, ...(await pick(sql`chat_id > 0`, max - groups.length))];
}

/** A chat's oldest queued row and how many rows are queued behind it, counted up to a cap. */
async function queueHeads(tx: Db, chatIds: number[], limits: RateLimits) {
  const ids = sql.join(
    chatIds.map((id) => sql`${id}`),
    sql`, `,
  );
  // Counted only as far as planBatch looks: past a group's digest threshold, past
  // what a private chat's window holds (whether it is over its budget).
  const groupCap = limits.groupChat.count * 3 + 2;
  const privateCap = limits.privateChat.count + 1;
  const found = rowsOf<{ id: string; queued: number; now_ms: number }>(
    await tx.execute(sql`
      select h.id, (select count(*) from (select 1 from notifications q
          where q.chat_id = c.id and q.state in ('pending', 'sending') and q.carried_by is null
          order by q.seq limit (case when c.id < 0 then ${groupCap}::int else ${privateCap}::int end)) x)::int as queued,
        (extract(epoch from now()) * 1000)::float8 as now_ms
      from unnest(array[${ids}]::bigint[]) as c(id)
      cross join lateral (select n.id from notifications n
        where n.chat_id = c.id and n.state in ('pending', 'sending') order by n.seq limit 1) h`),
  );
  if (found.length === 0) return new Map<number, { row: Notification; queued: number; now: number }>();
  const rows = await tx
    .select()
    .from(notifications)
    .where(
      inArray(
        notifications.id,
        found.map((f) => f.id),
      ),
    );
  const byId = new Map(found.map((f) => [f.id, f]));
  return new Map(
    rows.map((row) => {
      const f = byId.get(row.id) as (typeof found)[number];
      return [row.chatId, { row, queued: Number(f.queued), now: Number(f.now_ms) }];
    }),
  );
}

/** The posts' rows go "sending" under a lease; the rows they carry are tied to them. */
async function markClaimed(tx: Db, posts: ClaimedPost[], leaseMs: number): Promise<string | undefined> {
  if (posts.length === 0) return undefined;
  const [claimed] = await tx
    .update(notifications)
    .set({
      state: "sending",
      attempts: sql`${notifications.attempts} + 1`,
      nextAttemptAt: sql`now() + (${leaseMs} * interval '1 millisecond')`,
    })
    .where(
      inArray(
        notifications.id,
        posts.map((p) => p.head.id),
      ),
    )
    .returning({ leaseEnd: sql<string>`${notifications.nextAttemptAt}::text` });
  for (const post of posts) {
    if (post.kind !== "single" && (post.head.payload as { batch?: string }).batch !== post.kind)
      await tx
        .update(notifications)
        .set({ payload: sql`${notifications.payload} || ${JSON.stringify({ batch: post.kind })}::jsonb` })
        .where(eq(notifications.id, post.head.id));
    const fresh = post.carried.filter((c) => c.carriedBy === null).map((c) => c.id);
    if (fresh.length > 0)
      await tx
        .update(notifications)
        .set({ carriedBy: post.head.id })
        .where(and(inArray(notifications.id, fresh), sql`${notifications.carriedBy} is null`));
  }
  return claimed.leaseEnd;
}

/** Chats to look at again after some ms (negative: due since then); chats found empty go idle (the trigger wakes them). */
async function reschedule(tx: Db, later: Map<number, number>, idle: number[]) {
  if (later.size > 0) {
    const values = sql.join(
      [...later].map(([chat, ms]) => sql`(${chat}::bigint, ${Math.round(ms)}::int)`),
      sql`, `,
    );
    await tx.execute(sql`
      update delivery_chats d set due_at = now() + (v.ms * interval '1 millisecond')
      from (values ${values}) as v(chat_id, ms) where d.chat_id = v.chat_id`);
  }
  if (idle.length > 0) {
    const ids = sql.join(
      idle.map((id) => sql`${id}`),
      sql`, `,
    );
    await tx.execute(sql`
      update delivery_chats set due_at = null, idle_since = now() where chat_id in (${ids})`);
  }
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
