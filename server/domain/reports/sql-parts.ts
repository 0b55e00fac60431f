import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { rowsOf } from "../delivery/budget.js";
import type { ReportRange } from "./scope.js";

/**
 * A history row that finishes a ticket: a status change to resolved or closed from a
 * status still being worked (resolved → closed is not a second finish). One per
 * resolution, as `tickets.resolution_count` and `ticket_ratings` count them.
 */
export const FINISH = sql.raw(
  `(e.kind = 'status' and e.to_value in ('resolved', 'closed') and coalesce(e.from_value, '') not in ('resolved', 'closed'))`,
);

/** `tickets` rows the report counts, joined to history rows `e`. */
export const eventsOfTickets = (r: ReportRange): SQL =>
  sql`ticket_events e join tickets on tickets.id = e.ticket_id and ${r.tickets}`;

/**
 * History rows `e` of the tickets the report counts, for statements that read no
 * `tickets` column. When nothing narrows the tickets (an admin, no filter) the join
 * only proves each event's ticket exists, which its foreign key already does, and at a
 * million tickets it costs a pass over the whole table: it is left out then.
 */
export const scopedEvents = (r: ReportRange): SQL => (r.narrowed ? eventsOfTickets(r) : sql`ticket_events e`);

/** Every local bucket start of the range (so empty days/weeks/months show as zeros). */
export const bucketSeries = (r: ReportRange): SQL => sql`
  select to_char(b, 'YYYY-MM-DD') as bucket
  from generate_series(date_trunc(${r.interval}::text, ${r.fromDay}::timestamp), ${r.toDay}::timestamp,
                       ('1 ' || ${r.interval}::text)::interval) b`;

/**
 * Runs a report statement and returns its rows (both drivers). Without JIT: these
 * aggregates' estimated costs pass PostgreSQL's jit_above_cost, and compiling them
 * took longer than it saved (measured at a million tickets: volume's event scan 3.2 s
 * with JIT, 1.7 s without; docs/REPORTS.md). `set local` ends with the transaction.
 */
export async function reportRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return rowsOf<T>(await tx.execute(query));
  });
}

/** Seconds as a number, rounded to whole seconds (null when nothing was measured). */
export const seconds = (v: unknown): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v));

/** median, p90 and count of an `extract(epoch …)` expression over rows `src`. */
export const durationStats = (expr: SQL): SQL => sql`
  count(*)::int as n,
  percentile_cont(0.5) within group (order by ${expr}) as median,
  percentile_cont(0.9) within group (order by ${expr}) as p90,
  avg(${expr}) as average`;

export interface DurationStats {
  /** How many durations were measured. */
  count: number;
  /** Seconds; null when none. */
  median: number | null;
  p90: number | null;
  average: number | null;
}

export const durationOf = (row: {
  n: number;
  median: unknown;
  p90: unknown;
  average: unknown;
}): DurationStats => ({
  count: Number(row.n),
  median: seconds(row.median),
  p90: seconds(row.p90),
  average: seconds(row.average),
});
