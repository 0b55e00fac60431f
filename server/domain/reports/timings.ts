import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { businessCalendarsOf, businessDurationStats } from "./business-hours.js";
import { storedBusinessStats } from "./business-stored.js";
import { NIL_UUID, type RollupSource, rollupDays, rollupSource } from "./rollups.js";
import { type ReportRange, rangeEcho, reportRange } from "./scope.js";
import { type DurationStats, durationOf, eventsOfTickets, FINISH, reportRows } from "./sql-parts.js";

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
const MEASURE_NAMES = ["firstResponse", "nextResponse", "resolution"] as const satisfies Measure[];

/**
 * Each measure's durations in seconds (column `secs`): from the rollups' exact facts
 * when they can answer (first response and resolution in `report_ticket_facts`, next
 * responses in `report_responses`), else from the raw rows above.
 */
function secondsOf(r: ReportRange, rollup: RollupSource | null, measure: Measure): SQL {
  if (!rollup)
    return sql`select extract(epoch from d.ended - d.started) as secs from (${MEASURES[measure](r)}) d`;
  if (measure === "nextResponse")
    return sql`select x.secs from (${rollup.staff("report_responses", rollupDays(r))}) x`;
  const fact = measure === "firstResponse" ? "dur:first_response" : "dur:resolution";
  return sql`select x.total as secs from (${rollup.facts(sql`x.metric = ${fact} and ${rollupDays(r)}`)}) x`;
}

/** A measure's rows (branch_id, started, ended) for business hours; next responses from their facts. */
function instantsOf(r: ReportRange, rollup: RollupSource | null, measure: Measure): SQL {
  if (!rollup || measure !== "nextResponse") return MEASURES[measure](r);
  return sql`select nullif(x.branch_id, ${NIL_UUID}::uuid) as branch_id, x.started, x.answered as ended
    from (${rollup.staff("report_responses", rollupDays(r))}) x`;
}

/** median, p90, average and count of the three measures in wall time, in one statement. */
async function wallStats(
  ctx: ServiceContext,
  r: ReportRange,
  rollup: RollupSource | null,
): Promise<Record<Measure, DurationStats>> {
  const one = (m: Measure) => sql`(select json_build_object(
      'n', count(*), 'median', percentile_cont(0.5) within group (order by d.secs),
      'p90', percentile_cont(0.9) within group (order by d.secs), 'average', avg(d.secs))
    from (${secondsOf(r, rollup, m)}) d)`;
  const [row] = await reportRows<Record<Measure, StatsRow | string>>(
    ctx.db,
    sql`select ${one("firstResponse")} as "firstResponse", ${one("nextResponse")} as "nextResponse",
               ${one("resolution")} as "resolution"`,
  );
  const parsed = (v: StatsRow | string): StatsRow => (typeof v === "string" ? JSON.parse(v) : v);
  return {
    firstResponse: durationOf(parsed(row.firstResponse)),
    nextResponse: durationOf(parsed(row.nextResponse)),
    resolution: durationOf(parsed(row.resolution)),
  };
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
  const rollup = await rollupSource(ctx.db, r);
  const wall = await wallStats(ctx, r, rollup);
  const calendars = await businessCalendarsOf(ctx);
  // The seconds stored in the facts when they can answer; what they cannot, counted in the server.
  const stored = rollup && calendars.length > 0 ? await storedBusinessStats(ctx, r) : null;
  const business: (DurationStats | null)[] = [];
  for (const m of MEASURE_NAMES)
    business.push(stored?.[m] ?? (await businessDurationStats(ctx, instantsOf(r, rollup, m), calendars)));
  const [fr, nr, res] = business;
  return {
    range: rangeEcho(r),
    ...wall,
    businessHours: fr && nr && res ? { firstResponse: fr, nextResponse: nr, resolution: res } : null,
  };
}
