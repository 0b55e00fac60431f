import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { businessDurationStats } from "./business-hours.js";
import { rollupDays, rollupSource } from "./rollups.js";
import { type ReportRange, rangeEcho, reportRange } from "./scope.js";
import {
  type DurationStats,
  durationOf,
  durationStats,
  eventsOfTickets,
  FINISH,
  reportRows,
} from "./sql-parts.js";

export interface TimingsReport {
  range: ReturnType<typeof rangeEcho>;
  /** Wall-clock seconds. */
  firstResponse: DurationStats;
  nextResponse: DurationStats;
  resolution: DurationStats;
  /**
   * The same in business hours (seconds of the branch's calendar's working time, else
   * the default calendar's); null when no business calendar is defined.
   */
  businessHours: {
    firstResponse: DurationStats;
    nextResponse: DurationStats;
    resolution: DurationStats;
  } | null;
}

type StatsRow = { n: number; median: unknown; p90: unknown; average: unknown };

/**
 * Each measure as a set of rows (branch_id, started, ended): SQL aggregates them for
 * wall time; business hours count each row over its calendar.
 */
const MEASURES = {
  /** From opening to the first public staff answer, for tickets first answered in the range. */
  firstResponse: (r: ReportRange): SQL => sql`
    select tickets.branch_id, tickets.created_at as started, tickets.first_response_at as ended
    from tickets
    where ${r.tickets} and tickets.first_response_at >= ${r.from.toISOString()}::timestamptz
      and tickets.first_response_at < ${r.to.toISOString()}::timestamptz`,
  /** From opening to each finish (resolved or closed), for finishes in the range. */
  resolution: (r: ReportRange): SQL => sql`
    select tickets.branch_id, tickets.created_at as started, e.created_at as ended
    from ${eventsOfTickets(r)}
    where ${FINISH} and e.created_at >= ${r.from.toISOString()}::timestamptz
      and e.created_at < ${r.to.toISOString()}::timestamptz`,
  /**
   * From the first requester message that waits (after a staff answer) to the staff
   * answer that follows it, for answers in the range. Public messages only; notes and
   * system messages are skipped. Messages are numbered into "turns" by how many staff
   * answers came before them: turn 0 is the first response, measured above instead.
   */
  nextResponse: (r: ReportRange): SQL => sql`
    with m as (
      select msg.ticket_id, tickets.branch_id, msg.seq, msg.created_at,
             msg.author_id = tickets.requester_id as from_requester
      from messages msg join tickets on tickets.id = msg.ticket_id and ${r.tickets}
      where not msg.is_internal and msg.source <> 'system'
        and msg.created_at < ${r.to.toISOString()}::timestamptz
        and msg.ticket_id in (select s.ticket_id from messages s
                              where s.created_at >= ${r.from.toISOString()}::timestamptz
                                and s.created_at < ${r.to.toISOString()}::timestamptz)
    ), turns as (
      select *, sum(case when from_requester then 0 else 1 end) over (partition by ticket_id order by seq)
                - case when from_requester then 0 else 1 end as turn
      from m
    ), pairs as (
      select branch_id, min(created_at) filter (where from_requester) as started,
             min(created_at) filter (where not from_requester) as ended
      from turns where turn >= 1 group by ticket_id, branch_id, turn
    )
    select * from pairs
    where started is not null and ended is not null and ended >= ${r.from.toISOString()}::timestamptz`,
} as const;

type Measure = keyof typeof MEASURES;

/** median, p90 and average of one measure in wall time, aggregated by the database. */
export async function wallStats(
  ctx: ServiceContext,
  r: ReportRange,
  measure: Measure,
): Promise<DurationStats> {
  // First response and resolution are kept as exact durations in the rollups' facts.
  const fact =
    measure === "nextResponse"
      ? null
      : `dur:${measure === "firstResponse" ? "first_response" : "resolution"}`;
  const rollup = fact ? await rollupSource(ctx.db, r) : null;
  if (fact && rollup) {
    const [row] = await reportRows<StatsRow>(
      ctx.db,
      sql`select ${durationStats(sql`d.total`)} from (${rollup.facts(sql`x.metric = ${fact} and ${rollupDays(r)}`)}) d`,
    );
    return durationOf(row);
  }
  const [row] = await reportRows<StatsRow>(
    ctx.db,
    sql`select ${durationStats(sql`extract(epoch from d.ended - d.started)`)} from (${MEASURES[measure](r)}) d`,
  );
  return durationOf(row);
}

/** First response, next response and resolution times (median, p90, average), wall time and business hours. */
export async function getTimingsReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<TimingsReport> {
  const r = reportRange(ctx, input, "reports.timings");
  const business = (m: Measure) => businessDurationStats(ctx, MEASURES[m](r));
  const [fr, nr, res] = [
    await business("firstResponse"),
    await business("nextResponse"),
    await business("resolution"),
  ];
  return {
    range: rangeEcho(r),
    firstResponse: await wallStats(ctx, r, "firstResponse"),
    nextResponse: await wallStats(ctx, r, "nextResponse"),
    resolution: await wallStats(ctx, r, "resolution"),
    businessHours: fr && nr && res ? { firstResponse: fr, nextResponse: nr, resolution: res } : null,
  };
}
