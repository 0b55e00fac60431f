import { type SQL, sql } from "drizzle-orm";
import type { WeekHours } from "../../../drizzle/schema/index.js";
import { type BusinessCalendar, businessCalendars } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { type CalendarHours, countedBetween, workingIntervals } from "../sla/business-time.js";
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

/** The business calendars, read once per report (none: no business-hours figures). */
export const businessCalendarsOf = (ctx: ServiceContext): Promise<BusinessCalendar[]> =>
  ctx.db.select().from(businessCalendars);

const DAY = 86_400_000;
/** workingIntervals looks three years ahead at most: a span is walked a year at a time. */
const YEAR = 365 * DAY;

/** The instants a measure's rows lie in, [from, to] (milliseconds). */
export interface Span {
  from: number;
  to: number;
}

/**
 * A calendar's working time over a span as sorted, disjoint intervals with the
 * working time before each (ms): the counted time between two instants of the span
 * is then C(to) − C(from), C(t) = before[k] + min(t, ends[k]) − starts[k] for the
 * last interval k starting at or before t — what `countedBetween` adds up interval
 * by interval. Null when a day's hours are not in order or overlap: those calendars
 * are counted row by row.
 */
export interface WorkingTable {
  starts: number[];
  ends: number[];
  before: number[];
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

const hoursInOrder = (week: WeekHours) =>
  Object.values(week).every((hours) =>
    (hours ?? []).every(
      ([s, e], i, all) =>
        minutesOf(s) < minutesOf(e) && (i === 0 || minutesOf(all[i - 1][1]) <= minutesOf(s)),
    ),
  );

export function workingTable(cal: CalendarHours, span: Span): WorkingTable | null {
  if (!hoursInOrder(cal.week)) return null;
  const table: WorkingTable = { starts: [], ends: [], before: [] };
  let total = 0;
  for (let w = span.from; w < span.to + 1; w += YEAR) {
    const end = Math.min(w + YEAR, span.to + 1);
    for (const [s, e0] of workingIntervals(w, cal)) {
      if (s >= end) break;
      const e = Math.min(e0, end);
      if (e < s || (table.ends.length > 0 && s < table.ends[table.ends.length - 1])) return null;
      table.starts.push(s);
      table.ends.push(e);
      table.before.push(total);
      total += e - s;
    }
  }
  return table;
}

/** Working time before instant `x` in a table: the last interval starting at or before it, by binary search. */
function countedBefore(t: WorkingTable, x: number): number {
  let lo = 0;
  let hi = t.starts.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.starts[mid] <= x) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k < 0 ? 0 : t.before[k] + Math.min(x, t.ends[k]) - t.starts[k];
}

const statsOf = (secs: number[]): DurationStats => {
  secs.sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    count: secs.length,
    median: round(percentileCont(secs, 0.5)),
    p90: round(percentileCont(secs, 0.9)),
    average: secs.length ? Math.round(secs.reduce((a, b) => a + b, 0) / secs.length) : null,
  };
};

/**
 * A measure's durations counted in working hours: each row (branch_id, started, ended)
 * over its branch's calendar, else the default one, as the SLA clocks count
 * (`countedBetween`; holidays left out; waiting-for-the-requester pauses are not, the
 * report measures what the requester waited). Null when no calendar exists.
 *
 * The rows' two instants are read as epoch milliseconds (numbers, no dates to parse);
 * each calendar's working intervals over the span the rows lie in are built once, with
 * the working time before each, and a row's working time is two binary searches in
 * them — instead of walking each row's days through the zone's wall clock
 * (`countedBetween` row by row took seconds at 80,000 rows). Same numbers: the
 * property test compares both.
 */
export async function businessDurationStats(
  ctx: ServiceContext,
  rows: SQL,
  calendars: BusinessCalendar[],
): Promise<DurationStats | null> {
  if (calendars.length === 0) return null;
  const found = await reportRows<{ branch_id: string | null; s: number | string; e: number | string }>(
    ctx.db,
    sql`select d.branch_id, floor(extract(epoch from d.started) * 1000)::float8 as s,
               floor(extract(epoch from d.ended) * 1000)::float8 as e
        from (${rows}) d`,
  );
  if (found.length === 0) return statsOf([]);
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const x of found) {
    from = Math.min(from, Number(x.s));
    to = Math.max(to, Number(x.e));
  }
  const span = { from, to: Math.max(from, to) };
  const tables = new Map<BusinessCalendar, WorkingTable | null>();
  for (const c of calendars)
    tables.set(c, workingTable({ timeZone: c.timeZone, week: c.week, holidays: c.holidays }, span));
  if ([...tables.values()].some((t) => t === null)) return rowByRowBusinessStats(ctx, rows, calendars);
  const fallback = calendars.find((c) => c.branchId === null);
  const byBranch = new Map(calendars.filter((c) => c.branchId).map((c) => [c.branchId, c]));
  const secs = found.map((x) => {
    const s = Number(x.s);
    const e = Number(x.e);
    const c = (x.branch_id && byBranch.get(x.branch_id)) || fallback;
    if (!c) return (e - s) / 1000;
    const t = tables.get(c) as WorkingTable;
    return (e <= s ? 0 : countedBefore(t, e) - countedBefore(t, s)) / 1000;
  });
  return statsOf(secs);
}

/**
 * The same, each row read and counted in the server with `countedBetween`: for a
 * calendar whose day has hours out of order or overlapping, and the reference the
 * tests compare the database's count with.
 */
export async function rowByRowBusinessStats(
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
    sql`select branch_id, started, ended from (${rows}) d`,
  );
  return statsOf(
    found.map((x) => {
      const cal = hoursOf(x.branch_id);
      const from = new Date(x.started).getTime();
      const to = new Date(x.ended).getTime();
      return (cal ? countedBetween(from, to, cal, []) : to - from) / 1000;
    }),
  );
}
