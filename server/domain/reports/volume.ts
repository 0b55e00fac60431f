import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { type RollupSource, rollupDays, rollupSource } from "./rollups.js";
import { type ReportRange, rangeEcho, reportRange } from "./scope.js";
import { bucketSeries, FINISH, reportRows, scopedEvents } from "./sql-parts.js";

export interface VolumeBucket {
  /** First local day of the bucket (YYYY-MM-DD). */
  bucket: string;
  created: number;
  /** Status changes to resolved, closed; reopenings of a resolved or closed ticket. */
  resolved: number;
  closed: number;
  reopened: number;
}

export interface BacklogDay {
  day: string;
  /** Tickets not resolved nor closed at the end of the day. */
  open: number;
}

export interface VolumeReport {
  range: ReturnType<typeof rangeEcho>;
  buckets: VolumeBucket[];
  totals: Omit<VolumeBucket, "bucket">;
  backlog: BacklogDay[];
}

/** Tickets created, resolved, closed and reopened per day/week/month, and the daily backlog. */
export async function getVolumeReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<VolumeReport> {
  const r = reportRange(ctx, input, "reports.volume");
  const rollup = await rollupSource(ctx.db, r);
  const [buckets, backlog] = rollup
    ? [await rolledUpBuckets(ctx, r, rollup), await rolledUpBacklog(ctx, r, rollup)]
    : [await volumeBuckets(ctx, r), await backlogDays(ctx, r)];
  const totals = { created: 0, resolved: 0, closed: 0, reopened: 0 };
  for (const b of buckets) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += b[k];
  return { range: rangeEcho(r), buckets, totals, backlog };
}

export async function volumeBuckets(ctx: ServiceContext, r: ReportRange): Promise<VolumeBucket[]> {
  const from = r.from.toISOString();
  const to = r.to.toISOString();
  return reportRows<VolumeBucket>(
    ctx.db,
    sql`
    with ev as (
      select tickets.created_at as at, 'created' as kind from tickets
      where ${r.tickets} and tickets.created_at >= ${from}::timestamptz and tickets.created_at < ${to}::timestamptz
      union all
      select e.created_at, case when e.kind = 'reopen' then 'reopened' else e.to_value end
      from ${scopedEvents(r)}
      where e.created_at >= ${from}::timestamptz and e.created_at < ${to}::timestamptz
        and e.kind in ('status', 'reopen')
        and (e.kind = 'reopen' or e.to_value in ('resolved', 'closed'))
    ), counted as (
      select to_char(date_trunc(${r.interval}::text, at at time zone ${r.timeZone}), 'YYYY-MM-DD') as bucket,
             count(*) filter (where kind = 'created')::int as created,
             count(*) filter (where kind = 'resolved')::int as resolved,
             count(*) filter (where kind = 'closed')::int as closed,
             count(*) filter (where kind = 'reopened')::int as reopened
      from ev group by 1
    )
    select s.bucket, coalesce(c.created, 0)::int as created, coalesce(c.resolved, 0)::int as resolved,
           coalesce(c.closed, 0)::int as closed, coalesce(c.reopened, 0)::int as reopened
    from (${bucketSeries(r)}) s left join counted c on c.bucket = s.bucket
    order by s.bucket`,
  );
}

/**
 * Open tickets at the end of each local day, counted back from now: the tickets open
 * now, less every ticket created after that day's end, plus every finish (to resolved
 * or closed) and less every reopening after it. Only changes since the range's start
 * are read, however long the history.
 */
export async function backlogDays(ctx: ServiceContext, r: ReportRange): Promise<BacklogDay[]> {
  const from = r.from.toISOString();
  return reportRows<BacklogDay>(
    ctx.db,
    sql`
    with open_now as (
      select count(*) as n from tickets
      where ${r.tickets} and tickets.status in ('open', 'in_progress', 'waiting_customer')
    ), per_day as materialized (
      select (at at time zone ${r.timeZone})::date as day, sum(delta) as n from (
        select tickets.created_at as at, 1 as delta from tickets
        where ${r.tickets} and tickets.created_at >= ${from}::timestamptz
        union all
        select e.created_at, case when e.kind = 'reopen' then 1 else -1 end
        from ${scopedEvents(r)}
        where e.created_at >= ${from}::timestamptz and e.kind in ('status', 'reopen')
          and (e.kind = 'reopen' or ${FINISH})
      ) changes group by 1
    ), days as (
      select d::date as day from generate_series(${r.fromDay}::timestamp, ${r.toDay}::timestamp, interval '1 day') d
    )
    select to_char(days.day, 'YYYY-MM-DD') as day,
           (open_now.n - coalesce((select sum(p.n) from per_day p where p.day > days.day), 0))::int as open
    from days cross join open_now
    order by days.day`,
  );
}

/** The buckets from the rollups: the same counts per local day, summed per bucket. */
async function rolledUpBuckets(
  ctx: ServiceContext,
  r: ReportRange,
  rollup: RollupSource,
): Promise<VolumeBucket[]> {
  return reportRows<VolumeBucket>(
    ctx.db,
    sql`
    with counted as (
      select to_char(date_trunc(${r.interval}::text, x.day::timestamp), 'YYYY-MM-DD') as bucket,
             sum(x.n) filter (where x.metric = 'created')::int as created,
             sum(x.n) filter (where x.metric = 'resolved')::int as resolved,
             sum(x.n) filter (where x.metric = 'closed')::int as closed,
             sum(x.n) filter (where x.metric = 'reopened')::int as reopened
      from (${rollup.counts(sql`x.metric in ('created', 'resolved', 'closed', 'reopened') and ${rollupDays(r)}`)}) x
      group by 1
    )
    select s.bucket, coalesce(c.created, 0)::int as created, coalesce(c.resolved, 0)::int as resolved,
           coalesce(c.closed, 0)::int as closed, coalesce(c.reopened, 0)::int as reopened
    from (${bucketSeries(r)}) s left join counted c on c.bucket = s.bucket
    order by s.bucket`,
  );
}

/** The backlog from the rollups: open now (`open` facts of every day), less the days' changes after each day (as above). */
async function rolledUpBacklog(
  ctx: ServiceContext,
  r: ReportRange,
  rollup: RollupSource,
): Promise<BacklogDay[]> {
  return reportRows<BacklogDay>(
    ctx.db,
    sql`
    with open_now as (
      select coalesce(sum(x.n), 0) as n from (${rollup.counts(sql`x.metric = 'open'`)}) x
    ), per_day as materialized (
      select x.day, sum(case when x.metric = 'finish' then -x.n else x.n end) as n
      from (${rollup.counts(sql`x.metric in ('created', 'finish', 'reopened') and x.day >= ${r.fromDay}::date`)}) x
      group by 1
    ), days as (
      select d::date as day from generate_series(${r.fromDay}::timestamp, ${r.toDay}::timestamp, interval '1 day') d
    )
    select to_char(days.day, 'YYYY-MM-DD') as day,
           (open_now.n - coalesce((select sum(p.n) from per_day p where p.day > days.day), 0))::int as open
    from days cross join open_now
    order by days.day`,
  );
}
