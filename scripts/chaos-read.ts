import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { sql } from "drizzle-orm";
import type { Db } from "../drizzle/client.js";
import { type LedgerPart, marksIn, type RunLog } from "./chaos-account.js";
import type { FakeSend } from "./chaos-telegram.js";

const counts = (rows: Array<{ state: string; n: number }>) =>
  Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));

/** What is left to do: outbox rows queued or being sent, and jobs due or running. */
export async function backlog(db: Db) {
  const [row] = (await db.execute(sql`
    select
      (select count(*) from notifications where state in ('pending', 'sending'))::int as outbox,
      (select count(*) from scheduled_jobs
        where (state = 'pending' and run_at <= now()) or state = 'running')::int as jobs`)) as unknown as Array<{
    outbox: number;
    jobs: number;
  }>;
  return { outbox: Number(row.outbox), jobs: Number(row.jobs) };
}

/** The database's and the fake Bot API's side of the run log (the load adds what it had accepted). */
export async function readRunLog(db: Db, fake: ChildProcess, accepted: string[]): Promise<RunLog> {
  const bodies = (await db.execute(
    sql`select body as text from messages where body like '%#c%' union all select title from tickets where title like '%#c%'`,
  )) as unknown as Array<{ text: string }>;
  const numbers = (await db.execute(sql`select number from tickets`)) as unknown as Array<{ number: string }>;
  const outbox = (await db.execute(
    sql`select state, count(*)::int as n from notifications group by state`,
  )) as unknown as Array<{ state: string; n: number }>;
  const ledger = (await db.execute(
    sql`select state, count(*)::int as n from send_ledger group by state`,
  )) as unknown as Array<{ state: string; n: number }>;
  const parts = (await db.execute(
    sql`select key, chat_id, result from send_ledger where state = 'sent'`,
  )) as unknown as Array<{ key: string; chat_id: string | number; result: unknown }>;
  const expected = (await db.execute(sql`
    select n.chat_id, coalesce(m.body, t.title) as text
    from notifications n
      left join messages m on m.id = n.message_id
      left join tickets t on t.id = n.ticket_id
    where n.state = 'sent' and n.sent_message_id is not null
      and ((n.type = 'new_message' and m.body like '%#c%') or (n.type = 'new_ticket' and t.title like '%#c%'))`)) as unknown as Array<{
    chat_id: string | number;
    text: string;
  }>;
  fake.send("sends");
  const [{ sends }] = (await once(fake, "message")) as [{ sends: FakeSend[] }];
  return {
    accepted,
    stored: bodies.flatMap((b) => marksIn(b.text)),
    ticketNumbers: numbers.map((n) => n.number),
    notificationStates: counts(outbox),
    ledgerStates: counts(ledger),
    sentParts: parts.map(
      (p): LedgerPart => ({
        key: p.key,
        chatId: Number(p.chat_id),
        ids: (Array.isArray(p.result) ? p.result : [p.result])
          .map((m) => (m as { message_id?: unknown })?.message_id)
          .filter((id): id is number => typeof id === "number"),
      }),
    ),
    sends,
    expected: expected.flatMap((e) => marksIn(e.text).map((mark) => ({ chatId: Number(e.chat_id), mark }))),
  };
}
