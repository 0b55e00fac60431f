import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { rowsOf } from "../../domain/delivery/budget.js";
import type { BatchKind } from "./batch.js";

/** A post the claim makes: its row, what it carries, its calls. */
export interface PostToClaim {
  chatId: number;
  headId: string;
  /** Set on the head's payload when it is first claimed (its kind, "single" too), so a retry is the same post. */
  batch: BatchKind | null;
  /** Rows it carries that no post carried yet: tied to the head now. */
  freshCarried: string[];
  calls: number;
}

export interface ClaimWrites {
  posts: PostToClaim[];
  /** Chats to look at again after some ms (negative: due since then). */
  later: Map<number, number>;
  /** Chats whose queue the claim found empty: idle until the trigger wakes them. */
  idle: number[];
  leaseMs: number;
}

/**
 * Everything a claim writes, in one statement: the posts' calls reserved in the
 * budget (`bot_calls`), their rows made "sending" under a lease (and the rows
 * they carry tied to them), and the due chats rescheduled or put to sleep. The
 * parts touch different rows, so PostgreSQL's rule that the CTEs of one statement
 * see one snapshot and must not change a row twice holds by construction.
 * Returns each chat's reservation and the lease as the database wrote it.
 */
export async function writeClaim(
  tx: Db,
  w: ClaimWrites,
): Promise<{ reservations: Map<number, number>; leaseEnd?: string }> {
  const lease = sql`now() + (${w.leaseMs} * interval '1 millisecond')`;
  const parts: SQL[] = [];
  if (w.posts.length > 0) {
    parts.push(sql`res as (insert into bot_calls (chat_id, calls, expires_at)
      select v.chat_id, v.calls, ${lease}
      from (values ${list(w.posts.map((p) => sql`(${p.chatId}::bigint, ${p.calls}::int)`))}) as v(chat_id, calls)
      returning id, chat_id)`);
    parts.push(sql`claimed as (update notifications n set state = 'sending', attempts = n.attempts + 1,
        next_attempt_at = ${lease},
        payload = case when v.batch is null then n.payload else n.payload || jsonb_build_object('batch', v.batch) end
      from (values ${list(w.posts.map((p) => sql`(${p.headId}::uuid, ${p.batch}::text)`))}) as v(id, batch)
      where n.id = v.id returning n.next_attempt_at)`);
    const carried = w.posts.flatMap((p) => p.freshCarried.map((id) => sql`(${id}::uuid, ${p.headId}::uuid)`));
    if (carried.length > 0)
      parts.push(sql`tied as (update notifications n set carried_by = v.head
        from (values ${list(carried)}) as v(id, head) where n.id = v.id and n.carried_by is null)`);
  }
  const chats = [
    ...[...w.later].map(([chat, ms]) => sql`(${chat}::bigint, ${Math.round(ms)}::int)`),
    ...w.idle.map((chat) => sql`(${chat}::bigint, null::int)`),
  ];
  if (chats.length > 0)
    // A chat found empty goes idle (due_at null) and leaves the live lane.
    parts.push(sql`moved as (update delivery_chats d set
        due_at = case when v.ms is null then null else now() + (v.ms * interval '1 millisecond') end,
        idle_since = case when v.ms is null then now() else d.idle_since end,
        live = case when v.ms is null then false else d.live end
      from (values ${list(chats)}) as v(chat_id, ms) where d.chat_id = v.chat_id)`);
  if (parts.length === 0) return { reservations: new Map() };
  const result = w.posts.length
    ? sql`select (select coalesce(json_agg(json_build_object('id', id, 'chat', chat_id)), '[]'::json) from res) as res,
        (select max(next_attempt_at)::text from claimed) as lease_end`
    : sql`select '[]'::json as res, null::text as lease_end`;
  const [row] = rowsOf<{ res: unknown; lease_end: string | null }>(
    await tx.execute(sql`with ${sql.join(parts, sql`, `)} ${result}`),
  );
  const res = (typeof row.res === "string" ? JSON.parse(row.res) : row.res) as Array<{
    id: number;
    chat: number;
  }>;
  return {
    reservations: new Map(res.map((r) => [Number(r.chat), Number(r.id)])),
    leaseEnd: row.lease_end ?? undefined,
  };
}

const list = (items: SQL[]) => sql.join(items, sql`, `);
