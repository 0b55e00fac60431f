import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { type RollupSource, rollupDays, rollupSource } from "./rollups.js";
import type { ReportRange } from "./scope.js";
import { type DurationStats, durationOf, reportRows } from "./sql-parts.js";

/** The timings' three measures. */
export type Measure = "firstResponse" | "nextResponse" | "resolution";

type StatsRow = { n: number; missing: number; median: unknown; p90: unknown; average: unknown };

/**
 * Each measure's business seconds as stored in the facts (docs/REPORTS.md "Business
 * hours"): `report_ticket_facts.business` of the two duration metrics, and
 * `report_responses.business`. The metric is a literal so the planner sees which rows
 * it reads.
 */
function storedSeconds(r: ReportRange, rollup: RollupSource, measure: Measure): SQL {
  // A label filter: the label's tickets now, as its label-keyed copies hold them.
  const labelled = r.filters.labelId
    ? sql` and x.ticket_id in (select tl.ticket_id from ticket_labels tl where tl.label_id = ${r.filters.labelId}::uuid)`
    : sql``;
  if (measure === "nextResponse")
    return sql`select x.business as secs from (${rollup.staff("report_responses", sql`${rollupDays(r)}${labelled}`)}) x`;
  const metric = measure === "firstResponse" ? sql.raw("'dur:first_response'") : sql.raw("'dur:resolution'");
  return rollup.facts(sql`x.metric = ${metric} and ${rollupDays(r)}${labelled}`, sql`x.business as secs`);
}

/**
 * The business-hours figures from the stored seconds, percentiles in SQL as for wall
 * time. With a label filter they are read from the tables without one (the label's
 * copies keep no seconds), for the label's tickets. Null for the whole when the stored
 * seconds do not follow the calendars now (a change whose rebuild has not finished),
 * and a measure is left out when one of its rows has none (outside
 * the intervals' span, a calendar whose hours are out of order, written while the
 * rebuild ran): the caller counts those in the server, so an answer is never wrong.
 */
export async function storedBusinessStats(
  ctx: ServiceContext,
  r: ReportRange,
): Promise<Partial<Record<Measure, DurationStats>> | null> {
  const rollup = await rollupSource(ctx.db, { ...r, filters: { ...r.filters, labelId: undefined } });
  if (!rollup) return null;
  const one = (m: Measure) => sql`(select json_build_object(
      'n', count(*), 'missing', count(*) - count(d.secs),
      'median', percentile_cont(0.5) within group (order by d.secs),
      'p90', percentile_cont(0.9) within group (order by d.secs), 'average', avg(d.secs))
    from (${storedSeconds(r, rollup, m)}) d)`;
  const [row] = await reportRows<{ ready: boolean | null } & Record<Measure, StatsRow | string | null>>(
    ctx.db,
    sql`select s.ready,
               case when s.ready then ${one("firstResponse")} end as "firstResponse",
               case when s.ready then ${one("nextResponse")} end as "nextResponse",
               case when s.ready then ${one("resolution")} end as "resolution"
        from report_business_state s where s.id = 1`,
  );
  if (!row?.ready) return null;
  const out: Partial<Record<Measure, DurationStats>> = {};
  for (const m of ["firstResponse", "nextResponse", "resolution"] as const) {
    const v = row[m];
    const stats: StatsRow | null = typeof v === "string" ? JSON.parse(v) : v;
    if (stats && Number(stats.missing) === 0) out[m] = durationOf(stats);
  }
  return out;
}
