import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { NIL_UUID, type RollupSource, rollupDays } from "./rollups.js";
import type { BreakdownDimension } from "./schemas.js";
import type { ReportRange } from "./scope.js";
import { reportRows } from "./sql-parts.js";

/** The dimensions the rollups are keyed by; label and channel groups read the raw rows. */
export const ROLLED_UP_DIMENSIONS = new Set<BreakdownDimension>(["branch", "category", "priority"]);

/** A rollup row's group, as text; no branch is null. */
const ROLLUP_KEY: Record<string, SQL> = {
  branch: sql`nullif(x.branch_id, ${NIL_UUID}::uuid)::text`,
  category: sql`x.category_id::text`,
  priority: sql`x.priority`,
};

/**
 * The breakdown by branch, category or priority from the rollups: created and finishes
 * per group summed from `report_rollup`, the median first response over the groups'
 * exact durations in `report_ticket_facts`, and the tickets open now (`open` facts,
 * kept on each ticket's opening day, summed over all days). Same columns as the raw
 * statement in breakdowns.ts, before names are added.
 */
export function rolledUpBreakdown(
  ctx: ServiceContext,
  r: ReportRange,
  rollup: RollupSource,
  by: BreakdownDimension,
  name: SQL,
): Promise<Record<string, unknown>[]> {
  const key = ROLLUP_KEY[by];
  return reportRows<Record<string, unknown>>(
    ctx.db,
    sql`
    with c as (
      select ${key} as key, sum(x.n) filter (where x.metric = 'created')::int as created,
             sum(x.n) filter (where x.metric = 'finish')::int as resolved
      from (${rollup.counts(sql`x.metric in ('created', 'finish') and ${rollupDays(r)}`)}) x
      group by 1
    ), o as (
      select ${key} as key, sum(x.n)::int as open from (${rollup.counts(sql`x.metric = 'open'`)}) x group by 1
    ), m as (
      select ${key} as key, percentile_cont(0.5) within group (order by x.total) as median_first
      from (${rollup.facts(sql`x.metric = 'dur:first_response' and ${rollupDays(r)}`)}) x
      group by 1
    ), keys as (
      select key from c union select key from o
    ), g as (
      select keys.key, coalesce(c.created, 0)::int as created, coalesce(c.resolved, 0)::int as resolved,
             coalesce(o.open, 0)::int as open, m.median_first
      from keys left join c on c.key is not distinct from keys.key
      left join o on o.key is not distinct from keys.key
      left join m on m.key is not distinct from keys.key
    )
    select g.*, ${name} as name from g
    where g.created > 0 or g.resolved > 0 or g.open > 0
    order by g.created desc, g.key`,
  );
}
