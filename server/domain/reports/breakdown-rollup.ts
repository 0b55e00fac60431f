import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { NIL_UUID, type RollupSource, rollupDays } from "./rollups.js";
import type { BreakdownDimension } from "./schemas.js";
import type { ReportRange } from "./scope.js";
import { reportRows } from "./sql-parts.js";

/** A rollup row's group, as text; no branch and no label are null. */
const ROLLUP_KEY: Record<BreakdownDimension, SQL> = {
  branch: sql`nullif(x.branch_id, ${NIL_UUID}::uuid)::text`,
  category: sql`x.category_id::text`,
  priority: sql`x.priority`,
  label: sql`nullif(x.key, '')`,
  channel: sql`x.key`,
};

/**
 * Where a dimension's rows are: branch, category and priority are keys of
 * `report_rollup` and `report_ticket_facts`; label and channel groups are in
 * `report_group_rollup` and `report_group_facts` under their `dim`.
 */
function sourceOf(rollup: RollupSource, by: BreakdownDimension) {
  if (by !== "label" && by !== "channel") return { counts: rollup.counts, facts: rollup.facts };
  const dim = sql`x.dim = ${by}`;
  return {
    counts: (where: SQL) => rollup.groups("counts", sql`${dim} and ${where}`),
    facts: (where: SQL) => rollup.groups("facts", sql`${dim} and ${where}`),
  };
}

/**
 * The breakdown from the rollups: created and finishes per group summed from
 * `report_rollup` (`report_group_rollup` for labels and channels), the median first
 * response over the groups' exact durations in the facts, and the tickets open now (`open` facts,
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
  const source = sourceOf(rollup, by);
  return reportRows<Record<string, unknown>>(
    ctx.db,
    sql`
    with c as (
      select ${key} as key, sum(x.n) filter (where x.metric = 'created')::int as created,
             sum(x.n) filter (where x.metric = 'finish')::int as resolved
      from (${source.counts(sql`x.metric in ('created', 'finish') and ${rollupDays(r)}`)}) x
      group by 1
    ), o as (
      select ${key} as key, sum(x.n)::int as open from (${source.counts(sql`x.metric = 'open'`)}) x group by 1
    ), m as (
      select ${key} as key, percentile_cont(0.5) within group (order by x.total) as median_first
      from (${source.facts(sql`x.metric = 'dur:first_response' and ${rollupDays(r)}`)}) x
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
