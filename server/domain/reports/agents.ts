import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { type RollupSource, rollupDays, rollupSource } from "./rollups.js";
import { type ReportRange, rangeEcho, reportRange } from "./scope.js";
import { FINISH, reportRows, scopedEvents, seconds } from "./sql-parts.js";

export interface AgentRow {
  userId: string;
  name: string;
  role: string;
  /** Distinct tickets the agent answered publicly or finished in the range. */
  handled: number;
  /** Public answers written in the range. */
  replies: number;
  /** Finishes (to resolved or closed) the agent made in the range. */
  resolved: number;
  /** Median seconds to the first response, over tickets whose first response was theirs. */
  medianFirstResponse: number | null;
  firstResponses: number;
  /** Ratings given in the range on tickets assigned to the agent: mean and count. */
  csatAverage: number | null;
  ratings: number;
}

export interface AgentsReport {
  range: ReturnType<typeof rangeEcho>;
  agents: AgentRow[];
}

/** Per staff member: tickets handled, replies, finishes, median first response, CSAT. */
export async function getAgentsReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<AgentsReport> {
  const r = reportRange(ctx, input, "reports.agents");
  const rollup = await rollupSource(ctx.db, r);
  const rows = await reportRows<Record<string, unknown>>(ctx.db, rollup ? fromFacts(r, rollup) : fromRaw(r));
  const agents = rows.map(
    (x): AgentRow => ({
      userId: String(x.user_id),
      name: String(x.name),
      role: String(x.role),
      handled: Number(x.handled),
      replies: Number(x.replies),
      resolved: Number(x.resolved),
      medianFirstResponse: seconds(x.median_first),
      firstResponses: Number(x.first_n),
      csatAverage: x.csat_average === null ? null : Math.round(Number(x.csat_average) * 100) / 100,
      ratings: Number(x.ratings),
    }),
  );
  return { range: rangeEcho(r), agents };
}

/** Each staff member's row, named, from per-user figures `figures` (user_id, handled, …). */
const named = (figures: SQL): SQL => sql`
  select u.id as user_id, trim(u.first_name || ' ' || coalesce(u.last_name, '')) as name, u.role::text as role,
         f.handled, f.replies, f.resolved, f.median_first, f.first_n, f.csat_average, f.ratings
  from (${figures}) f join users u on u.id = f.user_id
  where u.role <> 'requester' and (f.handled > 0 or f.ratings > 0)
  order by f.handled desc, name`;

/**
 * From `report_agent_facts` (docs/REPORTS.md "Staff facts"): one pass over the range's
 * rows per member and day. A ticket is handled once, on the first day in the range
 * the member answered or finished it: the row's previous such day is before the range.
 */
function fromFacts(r: ReportRange, rollup: RollupSource): SQL {
  return named(sql`
    select x.user_id,
           count(*) filter (where x.replies + x.finishes > 0
                              and (x.touched_before is null or x.touched_before < ${r.fromDay}::date))::int as handled,
           sum(x.replies)::int as replies, sum(x.finishes)::int as resolved,
           percentile_cont(0.5) within group (order by x.first_secs) as median_first,
           count(x.first_secs)::int as first_n,
           sum(x.score_sum) / nullif(sum(x.ratings), 0) as csat_average, sum(x.ratings)::int as ratings
    from (${rollup.staff("report_agent_facts", rollupDays(r))}) x
    group by x.user_id`);
}

/** The same from the raw rows (a label filter, or rollups not built for this time zone). */
function fromRaw(r: ReportRange): SQL {
  const from = sql`${r.from.toISOString()}::timestamptz`;
  const to = sql`${r.to.toISOString()}::timestamptz`;
  return sql`
    with public_staff as (
      select msg.ticket_id, msg.author_id
      from messages msg join tickets on tickets.id = msg.ticket_id and ${r.tickets}
      where msg.created_at >= ${from} and msg.created_at < ${to}
        and not msg.is_internal and msg.source <> 'system' and msg.author_id <> tickets.requester_id
    ), replies as (
      select author_id as user_id, count(*)::int as n from public_staff group by 1
    ), finishes as (
      select e.actor_id as user_id, e.ticket_id from ${scopedEvents(r)}
      where ${FINISH} and e.actor_id is not null and e.created_at >= ${from} and e.created_at < ${to}
    ), handled as (
      select user_id, count(distinct ticket_id)::int as n from (
        select author_id as user_id, ticket_id from public_staff
        union all select user_id, ticket_id from finishes) h
      group by 1
    ), firsts as (
      select f.author_id as user_id, extract(epoch from tickets.first_response_at - tickets.created_at) as secs
      from tickets cross join lateral (
        select m.author_id from messages m
        where m.ticket_id = tickets.id and not m.is_internal and m.source <> 'system'
          and m.author_id <> tickets.requester_id
        order by m.seq limit 1) f
      where ${r.tickets} and tickets.first_response_at >= ${from} and tickets.first_response_at < ${to}
    ), first_stats as (
      select user_id, count(*)::int as n, percentile_cont(0.5) within group (order by secs) as median
      from firsts group by 1
    ), csat as (
      select tickets.assignee_id as user_id, count(*)::int as n, avg(tr.score) as average
      from ticket_ratings tr join tickets on tickets.id = tr.ticket_id and ${r.tickets}
      where tickets.assignee_id is not null and tr.created_at >= ${from} and tr.created_at < ${to}
      group by 1
    ), who as (
      select user_id from handled union select user_id from csat
    )
    select u.id as user_id, trim(u.first_name || ' ' || coalesce(u.last_name, '')) as name, u.role::text as role,
           coalesce(h.n, 0)::int as handled, coalesce(rp.n, 0)::int as replies,
           (select count(*) from finishes f where f.user_id = u.id)::int as resolved,
           fs.median as median_first, coalesce(fs.n, 0)::int as first_n,
           c.average as csat_average, coalesce(c.n, 0)::int as ratings
    from who join users u on u.id = who.user_id
    left join handled h on h.user_id = u.id left join replies rp on rp.user_id = u.id
    left join first_stats fs on fs.user_id = u.id left join csat c on c.user_id = u.id
    where u.role <> 'requester'
    order by handled desc, name`;
}
