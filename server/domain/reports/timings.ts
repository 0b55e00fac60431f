import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
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
  /** Wall-clock seconds. Business-hours figures are not computed yet (docs/REPORTS.md). */
  firstResponse: DurationStats;
  nextResponse: DurationStats;
  resolution: DurationStats;
}

type StatsRow = { n: number; median: unknown; p90: unknown; average: unknown };

/** First response, next response and resolution times (median, p90, average) in wall time. */
export async function getTimingsReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<TimingsReport> {
  const r = reportRange(ctx, input, "reports.timings");
  return {
    range: rangeEcho(r),
    firstResponse: await firstResponseStats(ctx, r),
    nextResponse: await nextResponseStats(ctx, r),
    resolution: await resolutionStats(ctx, r),
  };
}

/** From opening to the first public staff answer, for tickets first answered in the range. */
export async function firstResponseStats(ctx: ServiceContext, r: ReportRange): Promise<DurationStats> {
  const [row] = await reportRows<StatsRow>(
    ctx.db,
    sql`select ${durationStats(sql`extract(epoch from tickets.first_response_at - tickets.created_at)`)}
        from tickets
        where ${r.tickets} and tickets.first_response_at >= ${r.from.toISOString()}::timestamptz
          and tickets.first_response_at < ${r.to.toISOString()}::timestamptz`,
  );
  return durationOf(row);
}

/** From opening to each finish (resolved or closed), for finishes in the range. */
export async function resolutionStats(ctx: ServiceContext, r: ReportRange): Promise<DurationStats> {
  const [row] = await reportRows<StatsRow>(
    ctx.db,
    sql`select ${durationStats(sql`extract(epoch from e.created_at - tickets.created_at)`)}
        from ${eventsOfTickets(r)}
        where ${FINISH} and e.created_at >= ${r.from.toISOString()}::timestamptz
          and e.created_at < ${r.to.toISOString()}::timestamptz`,
  );
  return durationOf(row);
}

/**
 * From the first requester message that waits (after a staff answer) to the staff
 * answer that follows it, for answers in the range. Public messages only; notes and
 * system messages are skipped. Messages are numbered into "turns" by how many staff
 * answers came before them: turn 0 is the first response, measured above instead.
 */
export async function nextResponseStats(ctx: ServiceContext, r: ReportRange): Promise<DurationStats> {
  const [row] = await reportRows<StatsRow>(
    ctx.db,
    sql`
    with m as (
      select msg.ticket_id, msg.seq, msg.created_at, msg.author_id = tickets.requester_id as from_requester
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
      select min(created_at) filter (where from_requester) as asked,
             min(created_at) filter (where not from_requester) as answered
      from turns where turn >= 1 group by ticket_id, turn
    )
    select ${durationStats(sql`extract(epoch from answered - asked)`)}
    from pairs
    where asked is not null and answered is not null and answered >= ${r.from.toISOString()}::timestamptz`,
  );
  return durationOf(row);
}
