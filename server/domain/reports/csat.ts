import { type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { rollupDays, rollupSource } from "./rollups.js";
import { type ReportRange, rangeEcho, reportRange } from "./scope.js";
import { FINISH, reportRows, scopedEvents } from "./sql-parts.js";

export interface CsatFigures {
  /** Resolutions (finishes) in the range: each asks for one rating. */
  resolutions: number;
  /** Of those, how many were rated. */
  rated: number;
  /** rated / resolutions, 0–1; null when nothing was resolved. */
  responseRate: number | null;
  /** Mean score 1–5 of the rated ones; null when none. */
  average: number | null;
  /** Share of ratings of 4 or 5 (Chatwoot's CSAT score), 0–1; null when none. */
  satisfied: number | null;
  /** How many ratings gave 1, 2, 3, 4, 5 stars. */
  distribution: [number, number, number, number, number];
}

export interface CsatReport {
  range: ReturnType<typeof rangeEcho>;
  csat: CsatFigures;
}

/** Satisfaction of the resolutions in the range (ticket_ratings: one row per resolution). */
export async function getCsatReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<CsatReport> {
  const r = reportRange(ctx, input, "reports.csat");
  return { range: rangeEcho(r), csat: await csatFigures(ctx, r) };
}

/**
 * A resolution is numbered by counting the ticket's finishes up to it, which is the
 * `resolution` its rating row carries. `extra` narrows the tickets (per agent).
 */
export async function csatFigures(ctx: ServiceContext, r: ReportRange, extra?: SQL): Promise<CsatFigures> {
  // Per agent (`extra`) is not a rollup key: those read the raw rows.
  const rollup = extra ? null : await rollupSource(ctx.db, r);
  const query = rollup
    ? sql`
    select sum(x.n) filter (where x.metric = 'finish')::int as resolutions,
           sum(x.n) filter (where x.metric = 'rated')::int as rated,
           sum(x.total) filter (where x.metric = 'rated') / nullif(sum(x.n) filter (where x.metric = 'rated'), 0) as average,
           sum(x.n) filter (where x.metric in ('score:4', 'score:5'))::int as satisfied,
           sum(x.n) filter (where x.metric = 'score:1')::int as s1, sum(x.n) filter (where x.metric = 'score:2')::int as s2,
           sum(x.n) filter (where x.metric = 'score:3')::int as s3, sum(x.n) filter (where x.metric = 'score:4')::int as s4,
           sum(x.n) filter (where x.metric = 'score:5')::int as s5
    from (${rollup.counts(sql`(x.metric in ('finish', 'rated') or x.metric like 'score:%') and ${rollupDays(r)}`)}) x`
    : sql`
    with fin as (
      select e.ticket_id, e.created_at,
             row_number() over (partition by e.ticket_id order by e.seq) as resolution
      from ${scopedEvents(r)}
      where ${FINISH} and ${extra ?? sql`true`} and e.created_at < ${r.to.toISOString()}::timestamptz
        and e.ticket_id in (select f.ticket_id from ticket_events f
                            where f.kind = 'status' and f.created_at >= ${r.from.toISOString()}::timestamptz
                              and f.created_at < ${r.to.toISOString()}::timestamptz)
    )
    select count(*)::int as resolutions, count(tr.score)::int as rated, avg(tr.score) as average,
           count(*) filter (where tr.score >= 4)::int as satisfied,
           count(*) filter (where tr.score = 1)::int as s1, count(*) filter (where tr.score = 2)::int as s2,
           count(*) filter (where tr.score = 3)::int as s3, count(*) filter (where tr.score = 4)::int as s4,
           count(*) filter (where tr.score = 5)::int as s5
    from fin left join ticket_ratings tr on tr.ticket_id = fin.ticket_id and tr.resolution = fin.resolution
    where fin.created_at >= ${r.from.toISOString()}::timestamptz`;
  const [row] = await reportRows<Record<string, number | string | null>>(ctx.db, query);
  const resolutions = Number(row.resolutions);
  const rated = Number(row.rated);
  return {
    resolutions,
    rated,
    responseRate: resolutions === 0 ? null : rated / resolutions,
    average: rated === 0 ? null : Math.round(Number(row.average) * 100) / 100,
    satisfied: rated === 0 ? null : Number(row.satisfied) / rated,
    distribution: [row.s1, row.s2, row.s3, row.s4, row.s5].map(Number) as CsatFigures["distribution"],
  };
}
