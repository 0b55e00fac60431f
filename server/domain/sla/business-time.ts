import type { WeekHours } from "../../../drizzle/schema/index.js";
import { wallAsUtc } from "../zone-time.js";

/** What an SLA clock counts in: a calendar's working hours, or (null) every minute. */
export interface CalendarHours {
  timeZone: string;
  week: WeekHours;
  holidays: string[];
}

/** A stretch the clocks stood still; `to` null: still standing. Milliseconds since the epoch. */
export interface Pause {
  from: number;
  to: number | null;
}

const DAY = 86_400_000;
/** How far ahead a clock looks for working time before it gives up (a calendar with none). */
const HORIZON_DAYS = 3 * 366;

/**
 * The instant a wall-clock time (given as if it were UTC) happens in a zone. Two
 * passes over the zone's offset settle a DST edge; a time skipped by a spring
 * forward lands just after the gap.
 */
export function zonedInstant(wallUtc: number, timeZone: string): number {
  const first = wallUtc - (wallAsUtc(wallUtc, timeZone) - wallUtc);
  return wallUtc - (wallAsUtc(first, timeZone) - first);
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
};

/**
 * The working intervals of a calendar from `from` on, in time order, as instants
 * [start, end). Holidays and days without hours yield nothing; the walk stops after
 * HORIZON_DAYS (a calendar with no working time at all ends the clock).
 */
export function* workingIntervals(from: number, cal: CalendarHours | null): Generator<[number, number]> {
  if (!cal) {
    yield [from, Number.POSITIVE_INFINITY];
    return;
  }
  const holidays = new Set(cal.holidays);
  // The local day `from` falls on, as midnight-as-UTC; start a day early for an interval still open.
  const localDay = Math.floor(wallAsUtc(from, cal.timeZone) / DAY) * DAY - DAY;
  for (let i = 0; i <= HORIZON_DAYS; i++) {
    const day = localDay + i * DAY;
    const date = new Date(day);
    if (holidays.has(date.toISOString().slice(0, 10))) continue;
    const hours = cal.week[String(date.getUTCDay()) as keyof WeekHours] ?? [];
    for (const [s, e] of hours) {
      const start = zonedInstant(day + minutesOf(s) * 60_000, cal.timeZone);
      const end = zonedInstant(day + minutesOf(e) * 60_000, cal.timeZone);
      if (end <= from) continue;
      yield [Math.max(start, from), end];
    }
  }
}

/** The intervals that count: working time with the pauses cut out. */
function* countedIntervals(from: number, cal: CalendarHours | null, pauses: Pause[]) {
  const sorted = [...pauses].sort((a, b) => a.from - b.from);
  for (let [s, e] of workingIntervals(from, cal)) {
    for (const p of sorted) {
      const pEnd = p.to ?? Number.POSITIVE_INFINITY;
      if (pEnd <= s || p.from >= e) continue;
      if (p.from > s) yield [s, p.from] as [number, number];
      s = Math.max(s, pEnd);
      if (s >= e) break;
    }
    if (s < e) yield [s, e] as [number, number];
    if (e === Number.POSITIVE_INFINITY) return;
  }
}

/**
 * The instant `ms` of counted time after `start`: null when the clock never gets
 * there (paused from some point on, or a calendar without working time).
 */
export function addCountedTime(start: number, ms: number, cal: CalendarHours | null, pauses: Pause[]) {
  let left = ms;
  for (const [s, e] of countedIntervals(start, cal, pauses)) {
    if (e - s >= left) return s + left;
    left -= e - s;
  }
  return null;
}

/** Counted time between two instants (business time, pauses left out). */
export function countedBetween(from: number, to: number, cal: CalendarHours | null, pauses: Pause[]) {
  let total = 0;
  for (const [s, e] of countedIntervals(from, cal, pauses)) {
    if (s >= to) break;
    total += Math.min(e, to) - s;
  }
  return total;
}
