import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../drizzle/client.js";
import { inOutboxDelivery } from "./prepaid.js";

/**
 * Telegram's published limits: about 30 messages a second for the bot, one a
 * second per private chat, twenty a minute per group. Each is a sliding window.
 */
export interface WindowLimit {
  count: number;
  windowMs: number;
}

export interface RateLimits {
  global: WindowLimit;
  privateChat: WindowLimit;
  groupChat: WindowLimit;
}

export const TELEGRAM_LIMITS: RateLimits = {
  global: { count: 30, windowMs: 1000 },
  privateChat: { count: 1, windowMs: 1000 },
  groupChat: { count: 20, windowMs: 60_000 },
};

/**
 * Places of the bot-wide window the outbox's ordinary rows leave free (a sixth:
 * 5 of Telegram's 30 a second). The bot's answers to people and the live lane's
 * rows may use them, so they find room within a second even behind a backlog of
 * hundreds of notifications (position edits of a long live queue, a burst's staff
 * posts), which used every place before and kept a person's answer waiting seconds.
 */
export const interactiveReserve = (limits: RateLimits) => Math.floor(limits.global.count / 6);

/**
 * How long after the bot's last answer (or an answer waiting for room) the
 * reserve is kept. With nobody answered lately the outbox uses the whole window
 * (a backlog drains at Telegram's ceiling); the first answer then waits at most
 * one window for a place, and marks the demand so the next claim leaves room.
 */
export const INTERACTIVE_DEMAND_MS = 5000;

/** Groups and channels have negative chat ids in the Bot API. */
export const isGroupChat = (chatId: number) => chatId < 0;

export const chatLimit = (limits: RateLimits, chatId: number) =>
  isGroupChat(chatId) ? limits.groupChat : limits.privateChat;

/** The one lock every budget decision takes (claims and single calls), so two never count the same room. */
export const BUDGET_LOCK = 0x6f7574626f78;

/** How long a call taken but never answered (a crash) keeps counting as in flight. */
export const IN_FLIGHT_MS = 60_000;

export interface ChatRoom {
  chatId: number;
  /** Calls the chat's window holds now (answered within it, and in flight). */
  used: number;
  /** Milliseconds until the oldest answered call leaves the window (null: none answered in it). */
  freesInMs: number | null;
  /** Milliseconds left of a 429 pause (0: none). */
  pausedMs: number;
}

/** Calls the bot-wide window holds now, and when its oldest answered call leaves it. */
export async function globalUse(
  tx: DbOrTx,
  limits: RateLimits,
): Promise<{ used: number; freesInMs: number | null }> {
  const w = limits.global.windowMs / 1000;
  const rows = await tx.execute(sql`
    select
      (select coalesce(sum(calls), 0) from bot_calls where done_at > now() - make_interval(secs => ${w}))::int
      + (select coalesce(sum(calls), 0) from bot_calls where done_at is null and expires_at > now())::int as used,
      (select extract(epoch from min(done_at) + make_interval(secs => ${w}) - now()) * 1000
        from bot_calls where done_at > now() - make_interval(secs => ${w}))::float8 as frees`);
  const [row] = rowsOf<{ used: number; frees: number | null }>(rows);
  return { used: Number(row.used), freesInMs: row.frees === null ? null : Number(row.frees) };
}

/** Each chat's window and pause, read through the chat's own index entries only. */
export async function chatRooms(
  tx: DbOrTx,
  chatIds: number[],
  limits: RateLimits,
): Promise<Map<number, ChatRoom>> {
  if (chatIds.length === 0) return new Map();
  const g = limits.groupChat.windowMs / 1000;
  const p = limits.privateChat.windowMs / 1000;
  const ids = sql.join(
    chatIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = await tx.execute(sql`
    select c.chat_id,
      (select coalesce(sum(b.calls), 0) from bot_calls b
        where b.chat_id = c.chat_id and b.done_at > now() - make_interval(secs => c.w))::int
      + (select coalesce(sum(b.calls), 0) from bot_calls b
        where b.chat_id = c.chat_id and b.done_at is null and b.expires_at > now())::int as used,
      (select extract(epoch from min(b.done_at) + make_interval(secs => c.w) - now()) * 1000 from bot_calls b
        where b.chat_id = c.chat_id and b.done_at > now() - make_interval(secs => c.w))::float8 as frees,
      (select extract(epoch from d.paused_until - now()) * 1000 from delivery_chats d
        where d.chat_id = c.chat_id and d.paused_until > now())::float8 as paused
    from (select id as chat_id, case when id < 0 then ${g}::float8 else ${p}::float8 end as w
      from unnest(array[${ids}]::bigint[]) as id) c`);
  return new Map(
    rowsOf<{ chat_id: string; used: number; frees: number | null; paused: number | null }>(rows).map((r) => [
      Number(r.chat_id),
      {
        chatId: Number(r.chat_id),
        used: Number(r.used),
        freesInMs: r.frees === null ? null : Number(r.frees),
        pausedMs: r.paused === null ? 0 : Math.max(0, Number(r.paused)),
      },
    ]),
  );
}

/** A call's place in the windows (the bot's and its chat's), as many calls as a window can ever hold. */
export const placesFor = (limit: WindowLimit, calls: number) => Math.max(1, Math.min(calls, limit.count));

/** Milliseconds until `calls` more fit a window that holds `used`, or 0 when they fit now. */
export function waitFor(limit: WindowLimit, used: number, freesInMs: number | null, calls: number): number {
  if (used + placesFor(limit, calls) <= limit.count) return 0;
  // Only calls in flight fill it: look again shortly.
  return Math.max(1, Math.ceil(freesInMs ?? 20));
}

/**
 * Takes places in the windows of each chat (and the bot's): `calls` for each
 * `chatId`, in one statement; returns the reservations' ids by chat (one
 * reservation per chat: a claim makes one post per chat, a single call one).
 */
export async function reserve(
  tx: DbOrTx,
  wanted: Array<{ chatId: number; calls: number }>,
  inFlightMs = IN_FLIGHT_MS,
  interactive = false,
): Promise<Map<number, number>> {
  if (wanted.length === 0) return new Map();
  const values = sql.join(
    wanted.map((w) => sql`(${w.chatId}::bigint, ${w.calls}::int)`),
    sql`, `,
  );
  const rows = await tx.execute(sql`
    insert into bot_calls (chat_id, calls, expires_at, interactive)
    select v.chat_id, v.calls, now() + (${inFlightMs} * interval '1 millisecond'), ${interactive}
    from (values ${values}) as v(chat_id, calls)
    returning id, chat_id`);
  return new Map(rowsOf<{ id: string; chat_id: string }>(rows).map((r) => [Number(r.chat_id), Number(r.id)]));
}

/**
 * Telegram answered: the calls count from then for one window (dating by the answer
 * keeps arrivals apart too). `answeredAt` (performance.now() when the answer came):
 * dated back to it, as a duration, so no clock of this process meets the
 * database's: the statement's own clock (clock_timestamp, not the transaction's
 * start) less the time since the answer is never before the answer. Without it,
 * dated when the statement runs — after the ledger's write and the row's update,
 * which added their time to every place's cycle in the bot-wide window.
 */
export async function settleReservation(
  db: DbOrTx,
  id: number,
  answeredAt?: number,
  /** Reserved calls never made (a card that had not changed, parts the ledger replayed): given back. */
  unused = 0,
): Promise<void> {
  const since = answeredAt === undefined ? 0 : Math.max(0, performance.now() - answeredAt);
  await db.execute(
    sql`update bot_calls set done_at = clock_timestamp() - (${since} * interval '1 millisecond'),
      calls = greatest(calls - ${Math.max(0, unused)}::int, 0) where id = ${id} and done_at is null`,
  );
}

/** Telegram said 429 for this chat: no instance calls it before `ms` have passed. */
export async function pauseChat(db: DbOrTx, chatId: number, ms: number): Promise<void> {
  await db.execute(sql`
    insert into delivery_chats (chat_id, paused_until) values (${chatId}, now() + (${ms} * interval '1 millisecond'))
    on conflict (chat_id) do update set paused_until = greatest(delivery_chats.paused_until, excluded.paused_until)`);
}

/** Forgets calls older than the longest window (and never-answered ones past their time). */
export async function sweepCalls(db: DbOrTx, limits: RateLimits): Promise<void> {
  const keepS =
    Math.max(limits.global.windowMs, limits.groupChat.windowMs, limits.privateChat.windowMs) / 1000 + 5;
  await db.execute(sql`
    delete from bot_calls where coalesce(done_at, expires_at) < now() - make_interval(secs => ${keepS})`);
}

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * The bot's budget for single calls (its answers to people, card edits, topic
 * calls): one place in both windows, taken under the budget lock, dated by
 * Telegram's answer. Shared by every instance through the database.
 */
export interface CallBudget {
  /**
   * Room for `calls` calls to `chatId` now: the reservation's id, else how long to
   * wait, and of that how long for the bot-wide window (0: only the chat is full).
   * Every caller waits for the bot-wide window; bot/room-queue.ts lines them up.
   */
  take(
    chatId: number,
    calls?: number,
    /** Whose call it is: an outbox delivery's (unset: as the running code says, inOutboxDelivery). */
    who?: { outbox: boolean },
  ): Promise<{ id: number } | { waitMs: number; botWideMs: number }>;
  settle(id: number): Promise<void>;
  pause(chatId: number, ms: number): Promise<void>;
}

export function createCallBudget(db: Db, limits: RateLimits = TELEGRAM_LIMITS): CallBudget {
  let takes = 0;
  return {
    async take(chatId, calls = 1, who) {
      if (++takes % 500 === 0) await sweepCalls(db, limits).catch(() => {});
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${BUDGET_LOCK})`);
        const all = await globalUse(tx, limits);
        const globalWait = waitFor(limits.global, all.used, all.freesInMs, calls);
        const room = (await chatRooms(tx, [chatId], limits)).get(chatId);
        const chatWait = room ? waitFor(chatLimit(limits, chatId), room.used, room.freesInMs, calls) : 0;
        const waitMs = Math.max(globalWait, chatWait, room?.pausedMs ?? 0);
        // An outbox delivery's extra call (a topic to create) is the outbox's own work, not an answer.
        const interactive = !(who?.outbox ?? inOutboxDelivery());
        // Kept from the window by the outbox's claims: say so, and the next claim leaves
        // the reserve free. An outbox delivery's extra call says so too: it holds a post
        // in flight (a staff post behind its card edit), and the claims, which take
        // places ahead as they free, left it none until its 20 s were up (bench:burst).
        if (globalWait > 0)
          await tx.execute(sql`
            insert into bot_calls (chat_id, calls, expires_at, done_at, interactive) values (${chatId}, 0, now(), now(), true)`);
        if (waitMs > 0) return { waitMs, botWideMs: globalWait };
        const ids = await reserve(
          tx,
          [{ chatId, calls: placesFor(chatLimit(limits, chatId), calls) }],
          IN_FLIGHT_MS,
          interactive,
        );
        return { id: ids.get(chatId) as number };
      });
    },
    settle: (id) => settleReservation(db, id),
    pause: (chatId, ms) => pauseChat(db, chatId, ms),
  };
}
