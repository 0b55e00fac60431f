import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type Notification, notifications } from "../../../drizzle/schema/index.js";
import { type ChatRoom, INTERACTIVE_DEMAND_MS, type RateLimits } from "../../domain/delivery/budget.js";
import { CLAIM_AHEAD_MS, type FreeingCall } from "./global-places.js";

/** A due chat as the claim sees it: its window, its queue's head and how many rows wait behind it. */
export interface DueChat {
  chatId: number;
  room: ChatRoom;
  /** The chat's oldest queued row (none: the queue is empty, the chat goes idle). */
  head?: Notification;
  /** Rows queued no post carries yet, counted only up to what planBatch looks at. */
  queued: number;
  /** In the live lane: a live chat's rows, which may use the bot-wide window's reserve. */
  live: boolean;
  /** When the chat became due (ms, the database's clock). */
  dueAt: number;
}

export interface ClaimView {
  /** The bot answered someone lately (or an answer waits for room): ordinary rows leave the reserve. */
  interactive: boolean;
  /** Calls the bot-wide window holds now, and when its oldest answered call leaves it. */
  globalUsed: number;
  globalFreesInMs: number | null;
  /** The window's answered calls by when they leave it (ms from now), soonest first (global-places.ts). */
  globalFreeing: FreeingCall[];
  /** The database's clock (ms), which dates the rows. */
  now: number;
  /** Due chats in the order they are served: live chats, then groups, then private chats by due time. */
  chats: DueChat[];
}

/**
 * Everything a claim decides on, in one statement (one round trip, one snapshot
 * taken after the budget lock): the bot-wide window, the due chats locked
 * `FOR UPDATE SKIP LOCKED` (at most twice the posts the window still allows,
 * through three small indexes: live chats, groups, the rest by due time), and for
 * each its window, its 429 pause and its queue's head read through the partial
 * index on queued rows. Before this was one statement, a claim made seven round
 * trips before its writes and spent most of its time waiting on them.
 */
export async function readClaimView(tx: Db, limit: number, limits: RateLimits): Promise<ClaimView> {
  const gw = limits.global.windowMs / 1000;
  const demandS = INTERACTIVE_DEMAND_MS / 1000;
  const groupW = limits.groupChat.windowMs / 1000;
  const privateW = limits.privateChat.windowMs / 1000;
  // Counted only as far as planBatch looks: past a group's digest threshold, past
  // what a private chat's window holds (whether it is over its budget).
  const groupCap = limits.groupChat.count * 3 + 2;
  const privateCap = limits.privateChat.count + 1;
  const statement = sql`
      with win as materialized (select done_at, calls from bot_calls
        where done_at > now() - make_interval(secs => ${gw})),
      gu as (
        select (select coalesce(sum(calls), 0) from win)::int
          + (select coalesce(sum(calls), 0) from bot_calls where done_at is null and expires_at > now())::int as used,
          (select extract(epoch from min(done_at) + make_interval(secs => ${gw}) - now()) * 1000 from win)::float8 as frees,
          (select coalesce(json_agg(json_build_array(f.ms, f.calls) order by f.ms), '[]'::json) from (
            select extract(epoch from done_at + make_interval(secs => ${gw}) - now()) * 1000 as ms, calls
            from win order by done_at limit ${limits.global.count * 2}) f) as freeing,
          -- Places that free within the look-ahead (global-places.ts): chats are read for them too.
          (select coalesce(sum(calls), 0) from win
            where done_at <= now() - make_interval(secs => ${gw}) + make_interval(secs => ${CLAIM_AHEAD_MS / 1000}))::int as soon,
          exists (select 1 from bot_calls where interactive
            and (done_at > now() - make_interval(secs => ${demandS}) or done_at is null)) as interactive),
      look as (select greatest(0, least(${limit}::int, ${limits.global.count}::int - used + soon)) * 2 as n from gu),
      lv as (select chat_id, due_at, paused_until, 0 as lane from delivery_chats
        where live and due_at <= now() order by due_at limit (select n from look) for update skip locked),
      gr as (select chat_id, due_at, paused_until, 1 as lane from delivery_chats
        where chat_id < 0 and not live and due_at <= now() order by due_at limit (select n from look) for update skip locked),
      pr as (select chat_id, due_at, paused_until, 2 as lane from delivery_chats
        where chat_id > 0 and not live and due_at <= now() order by due_at limit (select n from look) for update skip locked),
      due as (select * from (select * from lv union all select * from gr union all select * from pr) d
        order by lane, due_at limit (select n from look))
      select gu.used, gu.frees, gu.freeing, gu.interactive, (extract(epoch from now()) * 1000)::float8 as now_ms,
        (select coalesce(json_agg(json_build_object('chat', c.chat_id, 'live', c.lane = 0, 'used', r.used, 'frees', r.frees,
            'paused', extract(epoch from c.paused_until - now()) * 1000, 'queued', h.queued, 'head', h.head,
            'due', extract(epoch from c.due_at) * 1000)
            order by c.lane, c.due_at), '[]'::json)
          from (select *, case when chat_id < 0 then ${groupW}::float8 else ${privateW}::float8 end as w from due) c
          cross join lateral (select
            (select coalesce(sum(b.calls), 0) from bot_calls b
              where b.chat_id = c.chat_id and b.done_at > now() - make_interval(secs => c.w))::int
            + (select coalesce(sum(b.calls), 0) from bot_calls b
              where b.chat_id = c.chat_id and b.done_at is null and b.expires_at > now())::int as used,
            (select extract(epoch from min(b.done_at) + make_interval(secs => c.w) - now()) * 1000 from bot_calls b
              where b.chat_id = c.chat_id and b.done_at > now() - make_interval(secs => c.w))::float8 as frees) r
          left join lateral (select to_jsonb(n) as head,
            (select count(*) from (select 1 from notifications q
              where q.chat_id = c.chat_id and q.state in ('pending', 'sending') and q.carried_by is null
              order by q.seq limit (case when c.chat_id < 0 then ${groupCap}::int else ${privateCap}::int end)) x)::int as queued
            from notifications n where n.chat_id = c.chat_id and n.state in ('pending', 'sending')
            order by n.seq limit 1) h on true) as chats
      from gu`;
  const view = await runPrepared(tx, "outbox_claim_read", sql`(select row_to_json(v) from (${statement}) v)`);
  const row = (typeof view === "string" ? JSON.parse(view) : view) as {
    used: number;
    frees: number | null;
    freeing: unknown;
    interactive: boolean;
    now_ms: number;
    chats: unknown;
  };
  const chats = (typeof row.chats === "string" ? JSON.parse(row.chats) : row.chats) as Array<{
    chat: number;
    live: boolean;
    used: number;
    frees: number | null;
    paused: number | null;
    due: number;
    queued: number | null;
    head: Record<string, unknown> | null;
  }>;
  return {
    globalUsed: Number(row.used),
    interactive: row.interactive === true || (row.interactive as unknown) === "t",
    globalFreesInMs: row.frees === null ? null : Number(row.frees),
    globalFreeing: (
      (typeof row.freeing === "string" ? JSON.parse(row.freeing) : (row.freeing ?? [])) as [number, number][]
    ).map(([ms, calls]) => ({ ms: Number(ms), calls: Number(calls) })),
    now: Number(row.now_ms),
    chats: chats.map((c) => ({
      chatId: Number(c.chat),
      room: {
        chatId: Number(c.chat),
        used: Number(c.used),
        freesInMs: c.frees === null ? null : Number(c.frees),
        pausedMs: c.paused === null ? 0 : Math.max(0, Number(c.paused)),
      },
      head: c.head ? notificationFromJson(c.head) : undefined,
      queued: Number(c.queued ?? 0),
      live: c.live === true,
      dueAt: Number(c.due),
    })),
  };
}

const columns = Object.entries(getTableColumns(notifications));

/** A row as `to_jsonb` gives it (column names, timestamps as text) → the row drizzle would select. */
function notificationFromJson(json: Record<string, unknown>): Notification {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name];
    row[key] =
      value === null || value === undefined
        ? null
        : column.dataType === "date"
          ? new Date(value as string)
          : column.dataType === "number"
            ? Number(value)
            : value;
  }
  return row as Notification;
}

/**
 * Runs a one-value statement as a prepared one (a named statement on the
 * connection, its plan kept: planning the read cost as much as running it, 36 ms
 * under load). The claim's lock and read both come here, so they take the same
 * steps to the driver and reach it, and the database, in the order they were made.
 */
export async function runPrepared(tx: Db, name: string, value: SQL): Promise<unknown> {
  const [row] = await tx
    .select({ value: sql<unknown>`${value}` })
    .from(sql`(values (1)) as one`)
    .prepare(name)
    .execute();
  return row.value;
}
