import { sql } from "drizzle-orm";
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
 *
 * The lists travel as JSON parameters, so the statement has one shape whatever
 * a claim takes: the driver prepares it once per connection. With a `values`
 * list per row it had a new shape for most claims (348 statements in 15 s of
 * bench:notify), each costing an extra round trip to describe it and a fresh
 * plan, with the budget lock held.
 */
export async function writeClaim(
  tx: Db,
  w: ClaimWrites,
): Promise<{ reservations: Map<number, number>; leaseEnd?: string }> {
  if (w.posts.length === 0 && w.later.size === 0 && w.idle.length === 0) return { reservations: new Map() };
  const lease = sql`now() + (${w.leaseMs} * interval '1 millisecond')`;
  const posts = w.posts.map((p) => ({ chat_id: p.chatId, calls: p.calls, id: p.headId, batch: p.batch }));
  const carried = w.posts.flatMap((p) => p.freshCarried.map((id) => ({ id, head: p.headId })));
  const chats = [
    ...[...w.later].map(([chat, ms]) => ({ chat_id: chat, ms: Math.round(ms) })),
    ...w.idle.map((chat) => ({ chat_id: chat, ms: null })),
  ];
  const [row] = rowsOf<{ res: unknown; lease_end: string | null }>(
    await tx.execute(sql`
      with res as (insert into bot_calls (chat_id, calls, expires_at)
        select v.chat_id, v.calls, ${lease}
        from jsonb_to_recordset(${JSON.stringify(posts)}::jsonb) as v(chat_id bigint, calls int)
        returning id, chat_id),
      claimed as (update notifications n set state = 'sending', attempts = n.attempts + 1,
          next_attempt_at = ${lease},
          payload = case when v.batch is null then n.payload else n.payload || jsonb_build_object('batch', v.batch) end
        from jsonb_to_recordset(${JSON.stringify(posts)}::jsonb) as v(id uuid, batch text)
        where n.id = v.id returning n.next_attempt_at),
      tied as (update notifications n set carried_by = v.head
        from jsonb_to_recordset(${JSON.stringify(carried)}::jsonb) as v(id uuid, head uuid)
        where n.id = v.id and n.carried_by is null),
      -- A chat found empty goes idle (due_at null) and leaves the live lane.
      moved as (update delivery_chats d set
          due_at = case when v.ms is null then null else now() + (v.ms * interval '1 millisecond') end,
          idle_since = case when v.ms is null then now() else d.idle_since end,
          live = case when v.ms is null then false else d.live end
        from jsonb_to_recordset(${JSON.stringify(chats)}::jsonb) as v(chat_id bigint, ms int)
        where d.chat_id = v.chat_id)
      select (select coalesce(json_agg(json_build_object('id', id, 'chat', chat_id)), '[]'::json) from res) as res,
        (select max(next_attempt_at)::text from claimed) as lease_end`),
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
