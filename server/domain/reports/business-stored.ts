import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { type RollupSource, rollupDays } from "./rollups.js";
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
  if (measure === "nextResponse")
    return sql`select x.business as secs from (${rollup.staff("report_responses", rollupDays(r))}) x`;
  const metric = measure === "firstResponse" ? sql.raw("'dur:first_response'") : sql.raw("'dur:resolution'");
  return rollup.facts(sql`x.metric = ${metric} and ${rollupDays(r)}`, sql`x.business as secs`);
}

/**
 * The business-hours figures from the stored seconds, percentiles in SQL as for wall
 * time; null for the whole when they cannot answer — the stored seconds do not follow
 * the calendars now (a change whose rebuild has not finished), or a label filter (its
 * copies keep none) — and a measure is left out when one of its rows has none (outside
 * the intervals' span, a calendar whose hours are out of order, written while the
 * rebuild ran): the caller counts those in the server, so an answer is never wrong.
 */
export async function storedBusinessStats(
  ctx: ServiceContext,
  r: ReportRange,
  rollup: RollupSource,
): Promise<Partial<Record<Measure, DurationStats>> | null> {
  if (rollup.labelled) return null;
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
