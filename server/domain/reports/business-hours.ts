import { type SQL, sql } from "drizzle-orm";
import { type BusinessCalendar, businessCalendars } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { type CalendarHours, countedBetween } from "../sla/business-time.js";
import type { DurationStats } from "./sql-parts.js";
import { reportRows } from "./sql-parts.js";

/** The same interpolation as PostgreSQL's percentile_cont, over sorted values. */
export function percentileCont(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** How many rows business hours are counted over at most: beyond it, the figures are left out. */
export const BUSINESS_HOURS_ROW_LIMIT = 200_000;

/** The business calendars, read once per report (none: no business-hours figures). */
export const businessCalendarsOf = (ctx: ServiceContext): Promise<BusinessCalendar[]> =>
  ctx.db.select().from(businessCalendars);

/**
 * A measure's durations counted in working hours: each row (branch_id, started, ended)
 * over its branch's calendar, else the default one, with `countedBetween` as the SLA
 * clocks count (holidays left out; waiting-for-the-requester pauses are not, the
 * report measures what the requester waited). Null when no calendar exists. Only the
 * two instants per row are read, never the tickets.
 */
export async function businessDurationStats(
  ctx: ServiceContext,
  rows: SQL,
  calendars: BusinessCalendar[],
): Promise<DurationStats | null> {
  if (calendars.length === 0) return null;
  const fallback = calendars.find((c) => c.branchId === null) ?? null;
  const byBranch = new Map(calendars.filter((c) => c.branchId).map((c) => [c.branchId, c]));
  const hoursOf = (branchId: string | null): CalendarHours | null => {
    const c = (branchId && byBranch.get(branchId)) || fallback;
    return c ? { timeZone: c.timeZone, week: c.week, holidays: c.holidays } : null;
  };
  const found = await reportRows<{ branch_id: string | null; started: string | Date; ended: string | Date }>(
    ctx.db,
    sql`select branch_id, started, ended from (${rows}) d limit ${BUSINESS_HOURS_ROW_LIMIT + 1}`,
  );
  if (found.length > BUSINESS_HOURS_ROW_LIMIT) return null;
  const secs = found
    .map((x) => {
      const cal = hoursOf(x.branch_id);
      const from = new Date(x.started).getTime();
      const to = new Date(x.ended).getTime();
      return (cal ? countedBetween(from, to, cal, []) : to - from) / 1000;
    })
    .sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    count: secs.length,
    median: round(percentileCont(secs, 0.5)),
    p90: round(percentileCont(secs, 0.9)),
    average: secs.length ? Math.round(secs.reduce((a, b) => a + b, 0) / secs.length) : null,
  };
}
