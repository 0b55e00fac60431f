import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { rolledUpBreakdown } from "./breakdown-rollup.js";
import { validatedInput } from "./parse.js";
import { rollupSource } from "./rollups.js";
import { type BreakdownDimension, breakdownQuerySchema } from "./schemas.js";
import { rangeEcho, reportRange } from "./scope.js";
import { FINISH, reportRows, seconds } from "./sql-parts.js";

export interface BreakdownRow {
  /** The group's id (branch, category, label), priority, or channel; null: none (no branch, no label). */
  key: string | null;
  /** Branch and category names by language; a label's name; null for priority and channel. */
  name: Record<string, string> | string | null;
  /** Created in the range; finishes in the range; not finished now. */
  created: number;
  resolved: number;
  open: number;
  /** Median seconds to the first response of the tickets first answered in the range. */
  medianFirstResponse: number | null;
}

export interface BreakdownReport {
  range: ReturnType<typeof rangeEcho> & { by: BreakdownDimension };
  rows: BreakdownRow[];
  totals: Omit<BreakdownRow, "key" | "name" | "medianFirstResponse">;
}

const KEY: Record<BreakdownDimension, SQL> = {
  branch: sql.raw("tickets.branch_id::text"),
  category: sql.raw("tickets.category_id::text"),
  priority: sql.raw("tickets.priority::text"),
  label: sql.raw("tl.label_id::text"),
  channel: sql.raw("tickets.requester_channel"),
};

const NAME: Record<BreakdownDimension, SQL> = {
  branch: sql.raw("(select b.name from branches b where b.id::text = g.key)"),
  category: sql.raw("(select c.name from categories c where c.id::text = g.key)"),
  label: sql.raw("(select to_jsonb(l.name) from labels l where l.id::text = g.key)"),
  priority: sql.raw("null::jsonb"),
  channel: sql.raw("null::jsonb"),
};

/** Created, resolved, open and median first response by branch, category, priority, label or channel. */
export async function getBreakdownReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<BreakdownReport> {
  const { by, ...rest } = validatedInput(breakdownQuerySchema, input);
  const r = reportRange(ctx, rest, "reports.breakdown");
  const from = sql`${r.from.toISOString()}::timestamptz`;
  const to = sql`${r.to.toISOString()}::timestamptz`;
  // Without a narrowing condition every finished ticket counts: no pass over tickets to join them.
  const finishedTickets = r.narrowed
    ? sql`select tickets.id from tickets join fin on fin.ticket_id = tickets.id where ${r.tickets}`
    : sql`select fin.ticket_id from fin`;
  const labels = by === "label" ? sql.raw("left join ticket_labels tl on tl.ticket_id = tickets.id") : sql``;
  const rollup = await rollupSource(ctx.db, r);
  const rows = rollup
    ? await rolledUpBreakdown(ctx, r, rollup, by, NAME[by])
    : await reportRows<Record<string, unknown>>(
        ctx.db,
        sql`
    with fin as (
      select e.ticket_id, count(*) as n from ticket_events e
      where e.kind = 'status' and ${FINISH} and e.created_at >= ${from} and e.created_at < ${to} group by 1
    ), ids as (
      select tickets.id from tickets where ${r.tickets} and tickets.created_at >= ${from} and tickets.created_at < ${to}
      union
      select tickets.id from tickets
      where ${r.tickets} and tickets.status in ('open', 'in_progress', 'waiting_customer')
      union
      select tickets.id from tickets
      where ${r.tickets} and tickets.first_response_at >= ${from} and tickets.first_response_at < ${to}
      union
      ${finishedTickets}
    ), tk as (
      select tickets.id, tickets.created_at, tickets.status, tickets.first_response_at, ${KEY[by]} as key
      from ids join tickets on tickets.id = ids.id ${labels}
    ), g as (
      select tk.key,
             count(*) filter (where tk.created_at >= ${from} and tk.created_at < ${to})::int as created,
             coalesce(sum(fin.n), 0)::int as resolved,
             count(*) filter (where tk.status not in ('resolved', 'closed'))::int as open,
             percentile_cont(0.5) within group (order by extract(epoch from tk.first_response_at - tk.created_at))
               filter (where tk.first_response_at >= ${from} and tk.first_response_at < ${to}) as median_first
      from tk left join fin on fin.ticket_id = tk.id
      group by tk.key
    )
    select g.*, ${NAME[by]} as name from g
    where g.created > 0 or g.resolved > 0 or g.open > 0
    order by g.created desc, g.key`,
      );
  const out = rows.map(
    (x): BreakdownRow => ({
      key: x.key === null ? null : String(x.key),
      name: (x.name ?? null) as BreakdownRow["name"],
      created: Number(x.created),
      resolved: Number(x.resolved),
      open: Number(x.open),
      medianFirstResponse: seconds(x.median_first),
    }),
  );
  const totals = { created: 0, resolved: 0, open: 0 };
  for (const row of out) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
  return { range: { ...rangeEcho(r), by }, rows: out, totals };
}
