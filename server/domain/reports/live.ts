import { sql } from "drizzle-orm";
import { liveChats } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { type ReportRange, rangeEcho, reportRange } from "./scope.js";
import { type DurationStats, durationOf, durationStats, reportRows } from "./sql-parts.js";

export interface LiveReport {
  from: string;
  to: string;
  /** The range and filters answered for, as every report echoes them (exports name files by it). */
  range: ReturnType<typeof rangeEcho>;
  /** Live chats asked for in the range (by queued time), in the caller's scope and filters. */
  asked: number;
  /** Of those: talked and ended, still open, left by the requester before anyone took them. */
  ended: number;
  open: number;
  abandoned: number;
  /** Seconds from asking to an operator accepting (chats that were accepted). */
  queueWait: DurationStats;
  /** Seconds from accepting to the end (chats that ended). */
  handleTime: DurationStats;
  /** Seconds abandoned chats waited before the requester left. */
  abandonedAfter: DurationStats;
}

/**
 * Live chat figures (docs/LIVE.md): queue wait, handle time and abandoned chats,
 * over the chats asked for in the range, within the same scope and filters as the
 * other reports (they are tickets of channel `live`).
 */
export async function getLiveReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<LiveReport> {
  const r: ReportRange = reportRange(ctx, input, "report.live");
  const chats = sql`${liveChats} l join tickets on tickets.id = l.ticket_id and ${r.tickets}
    where l.queued_at >= ${r.from.toISOString()}::timestamptz and l.queued_at < ${r.to.toISOString()}::timestamptz`;
  const [counts] = await reportRows<{ asked: number; ended: number; open: number; abandoned: number }>(
    ctx.db,
    sql`select count(*)::int as asked,
        count(*) filter (where l.state = 'ended')::int as ended,
        count(*) filter (where l.state in ('queued', 'offered', 'active'))::int as open,
        count(*) filter (where l.state = 'abandoned')::int as abandoned
      from ${chats}`,
  );
  const stats = async (expr: string, where: string) => {
    const [row] = await reportRows<{ n: number; median: unknown; p90: unknown; average: unknown }>(
      ctx.db,
      sql`select ${durationStats(sql.raw(expr))} from ${chats} and ${sql.raw(where)}`,
    );
    return durationOf(row);
  };
  return {
    from: r.fromDay,
    to: r.toDay,
    range: rangeEcho(r),
    asked: counts?.asked ?? 0,
    ended: counts?.ended ?? 0,
    open: counts?.open ?? 0,
    abandoned: counts?.abandoned ?? 0,
    queueWait: await stats("extract(epoch from (l.accepted_at - l.queued_at))", "l.accepted_at is not null"),
    handleTime: await stats(
      "extract(epoch from (l.ended_at - l.accepted_at))",
      "l.state = 'ended' and l.accepted_at is not null",
    ),
    abandonedAfter: await stats("extract(epoch from (l.ended_at - l.queued_at))", "l.state = 'abandoned'"),
  };
}
