import { sql } from "drizzle-orm";
import { SLA_TARGETS, type SlaTarget } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { type RollupSource, rollupDays, rollupSource } from "./rollups.js";
import { type ReportRange, rangeEcho, reportRange } from "./scope.js";
import { reportRows, scopedEvents } from "./sql-parts.js";

export interface SlaTargetOutcome {
  target: SlaTarget;
  /** Target runs that ended in the range: in time, late, unmet. */
  met: number;
  metLate: number;
  breached: number;
  /** met / (met + metLate + breached), 0–1; null when none ended. */
  compliance: number | null;
  /** sla_warning and sla_breach history rows raised in the range. */
  warningsRaised: number;
  breachesRaised: number;
}

export interface SlaReport {
  range: ReturnType<typeof rangeEcho>;
  targets: SlaTargetOutcome[];
  /** Right now, in scope: unfinished tickets whose SLA is at risk or breached. */
  now: { atRisk: number; breached: number };
}

/** SLA met / breached per target in the range, and what is at risk now. */
export async function getSlaReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<SlaReport> {
  const r = reportRange(ctx, input, "reports.sla");
  const rollup = await rollupSource(ctx.db, r);
  const { ended, raised } = rollup ? await rolledUpOutcomes(ctx, r, rollup) : await rawOutcomes(ctx, r);
  const [now] = await reportRows<{ at_risk: number; breached: number }>(
    ctx.db,
    rollup
      ? sql`
    select coalesce(sum(x.n) filter (where x.metric = 'sla_now:at_risk'), 0)::int as at_risk,
           coalesce(sum(x.n) filter (where x.metric = 'sla_now:breached'), 0)::int as breached
    from (${rollup.counts(sql`x.metric in ('sla_now:at_risk', 'sla_now:breached')`)}) x`
      : sql`
    select count(*) filter (where sla_state = 'at_risk')::int as at_risk,
           count(*) filter (where sla_state = 'breached')::int as breached
    from tickets
    where ${r.tickets} and sla_state in ('at_risk', 'breached') and status not in ('resolved', 'closed')`,
  );
  const targets = SLA_TARGETS.map((target): SlaTargetOutcome => {
    const n = (state: string) => Number(ended.find((e) => e.target === target && e.state === state)?.n ?? 0);
    const raisedN = (kind: string) =>
      Number(raised.find((e) => e.target === target && e.kind === kind)?.n ?? 0);
    const [met, metLate, breached] = [n("met"), n("met_late"), n("breached")];
    const all = met + metLate + breached;
    return {
      target,
      met,
      metLate,
      breached,
      compliance: all === 0 ? null : met / all,
      warningsRaised: raisedN("sla_warning"),
      breachesRaised: raisedN("sla_breach"),
    };
  });
  return { range: rangeEcho(r), targets, now: { atRisk: now.at_risk, breached: now.breached } };
}

type Ended = { target: SlaTarget; state: string; n: number };
type Raised = { target: string; kind: string; n: number };

/** Target runs ended and alerts raised in the range, from the raw rows. */
async function rawOutcomes(
  ctx: ServiceContext,
  r: ReportRange,
): Promise<{ ended: Ended[]; raised: Raised[] }> {
  const from = r.from.toISOString();
  const to = r.to.toISOString();
  // A target's run ends at most when the ticket last changed, so updated_at >= from
  // bounds the rows read (tickets_updated_at_idx). The clock steps every target, also
  // those its policy leaves untracked: only tracked ones count.
  const ended = await reportRows<Ended>(
    ctx.db,
    sql`
    select t.key as target, t.value->>'state' as state, count(*)::int as n
    from tickets join sla_policies p on p.id = tickets.sla_policy_id, jsonb_each(tickets.sla_clock->'targets') t
    where ${r.tickets}
      and (case t.key when 'first_response' then p.first_response_minutes
                      when 'next_response' then p.next_response_minutes
                      else p.resolution_minutes end) is not null and tickets.updated_at >= ${from}::timestamptz and tickets.sla_clock is not null
      and t.value ? 'endedAt'
      and (t.value->>'endedAt')::timestamptz >= ${from}::timestamptz
      and (t.value->>'endedAt')::timestamptz < ${to}::timestamptz
    group by 1, 2`,
  );
  const raised = await reportRows<Raised>(
    ctx.db,
    sql`
    select e.to_value as target, e.kind::text as kind, count(*)::int as n
    from ${scopedEvents(r)}
    where e.kind in ('sla_warning', 'sla_breach')
      and e.created_at >= ${from}::timestamptz and e.created_at < ${to}::timestamptz
    group by 1, 2`,
  );
  return { ended, raised };
}

/**
 * The same from the rollups: `sla:<target>:<state>` facts on the day the run ended
 * (counted only when the ticket's policy tracks the target, as above) and
 * `raised:<kind>:<target>` on the day of the history row.
 */
async function rolledUpOutcomes(
  ctx: ServiceContext,
  r: ReportRange,
  rollup: RollupSource,
): Promise<{ ended: Ended[]; raised: Raised[] }> {
  const ended = await reportRows<Ended>(
    ctx.db,
    sql`
    select split_part(x.metric, ':', 2) as target, split_part(x.metric, ':', 3) as state, sum(x.n)::int as n
    from (${rollup.counts(sql`x.metric like 'sla:%' and ${rollupDays(r)}`)}) x
    join sla_policies p on p.id = x.sla_policy_id
    where (case split_part(x.metric, ':', 2) when 'first_response' then p.first_response_minutes
                                             when 'next_response' then p.next_response_minutes
                                             else p.resolution_minutes end) is not null
    group by 1, 2`,
  );
  const raised = await reportRows<Raised>(
    ctx.db,
    sql`
    select split_part(x.metric, ':', 3) as target, split_part(x.metric, ':', 2) as kind, sum(x.n)::int as n
    from (${rollup.counts(sql`x.metric like 'raised:%' and ${rollupDays(r)}`)}) x
    group by 1, 2`,
  );
  return { ended, raised };
}
