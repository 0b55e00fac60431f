import type { ScheduleFrequency } from "../../../drizzle/schema/index.js";
import { wallAsUtc } from "../zone-time.js";

/** When a schedule runs: its rule and the zone its wall time is read in. */
export interface ScheduleRule {
  frequency: ScheduleFrequency;
  /** 0 = Sunday … 6 = Saturday. */
  weekday?: number | null;
  /** 1–31; a month without that day runs on its last day. */
  monthDay?: number | null;
  /** "HH:MM" */
  time: string;
  timeZone: string;
}

const DAY = 86_400_000;

/**
 * The instant a local wall time (UTC fields of `wall`) happens in the zone. The zone's
 * offset is read at the guess and again at the result, so a DST change between them
 * is followed. A wall time the zone skips (spring forward: 02:30 does not exist)
 * comes out shifted by the jump (03:30); one that happens twice (fall back) is the
 * first of the two.
 */
export function zonedInstant(wall: number, timeZone: string): Date {
  const first = wall - (wallAsUtc(wall, timeZone) - wall);
  const second = wall - (wallAsUtc(first, timeZone) - first);
  if (first === second) return new Date(first);
  // Two readings disagree: the earlier instant that shows the wanted wall time, else the later one.
  const earlier = Math.min(first, second);
  return new Date(wallAsUtc(earlier, timeZone) === wall ? earlier : Math.max(first, second));
}

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** Whether a local day (UTC midnight of its date) is one the rule runs on. */
function runsOn(day: Date, rule: ScheduleRule): boolean {
  if (rule.frequency === "daily") return true;
  if (rule.frequency === "weekly") return day.getUTCDay() === (rule.weekday ?? 6);
  const last = daysInMonth(day.getUTCFullYear(), day.getUTCMonth());
  return day.getUTCDate() === Math.min(rule.monthDay ?? 1, last);
}

/**
 * The first run strictly after `after`: the next local day the rule runs on, at its
 * wall time in its zone. Counted in local days, so a DST change never moves the run
 * off its wall time (08:00 stays 08:00 on both sides of it).
 */
export function nextRunAfter(rule: ScheduleRule, after: Date): Date {
  const [hh, mm] = rule.time.split(":").map(Number);
  const today = wallAsUtc(after.getTime(), rule.timeZone);
  const start = today - (today % DAY);
  for (let i = 0; i <= 62; i++) {
    const day = new Date(start + i * DAY);
    if (!runsOn(day, rule)) continue;
    const at = zonedInstant(day.getTime() + (hh * 60 + mm) * 60_000, rule.timeZone);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error("no run within 62 days (a rule the schema should have refused)");
}

/**
 * The local days a run reports on, in the schedule's zone: a daily run the day
 * before, a weekly one the seven days before, a monthly one the month before.
 */
export function periodBefore(rule: ScheduleRule, due: Date): { from: string; to: string } {
  const wall = wallAsUtc(due.getTime(), rule.timeZone);
  const today = new Date(wall - (wall % DAY));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const yesterday = new Date(today.getTime() - DAY);
  if (rule.frequency === "daily") return { from: iso(yesterday), to: iso(yesterday) };
  if (rule.frequency === "weekly")
    return { from: iso(new Date(today.getTime() - 7 * DAY)), to: iso(yesterday) };
  const firstOfThis = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
  const lastOfPrev = new Date(firstOfThis - DAY);
  const firstOfPrev = new Date(Date.UTC(lastOfPrev.getUTCFullYear(), lastOfPrev.getUTCMonth(), 1));
  return { from: iso(firstOfPrev), to: iso(lastOfPrev) };
}
