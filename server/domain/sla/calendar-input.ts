import { format as formatJalali, newDate } from "date-fns-jalali";
import type { WeekHours } from "../../../drizzle/schema/index.js";

/** JavaScript weekdays as the week's keys (0 = Sunday … 6 = Saturday). */
export const WEEKDAYS = ["0", "1", "2", "3", "4", "5", "6"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Weeks an admin can start from instead of typing seven days. */
export const CALENDAR_PRESETS = ["iran", "mon_fri"] as const;
export type CalendarPreset = (typeof CALENDAR_PRESETS)[number];

const day = (from: string, to: string): [string, string][] => [[from, to]];

/**
 * The preset's week and zone. Iran works Saturday to Wednesday, Thursday morning,
 * Friday off, on Tehran time; Mon–Fri office hours follow the deployment's zone.
 */
export function calendarPreset(preset: CalendarPreset, defaultZone: string) {
  if (preset === "iran") {
    const full = day("08:00", "16:00");
    const week: WeekHours = {
      "6": full,
      "0": full,
      "1": full,
      "2": full,
      "3": full,
      "4": day("08:00", "12:00"),
    };
    return { timeZone: "Asia/Tehran", week };
  }
  const office = day("09:00", "17:00");
  const week: WeekHours = { "1": office, "2": office, "3": office, "4": office, "5": office };
  return { timeZone: defaultZone || "Asia/Tehran", week };
}

/** Whether the runtime knows the IANA zone (Intl throws a RangeError on an unknown one). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "HH:MM" as minutes since midnight ("24:00" = 1440, only meaningful as an end); null if malformed. */
export function minutesOf(time: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h === 24 && min === 0) return 1440;
  return h < 24 && min < 60 ? h * 60 + min : null;
}

export interface WeekIssue {
  path: (string | number)[];
  code: "bad_time" | "interval_order" | "intervals_overlap" | "no_working_hours";
}

/**
 * What is wrong with a week: each interval well formed with its start before its
 * end, a day's intervals sorted and not overlapping (touching is fine), and at
 * least one working minute in the whole week.
 */
export function weekIssues(week: WeekHours): WeekIssue[] {
  const issues: WeekIssue[] = [];
  let working = 0;
  for (const d of WEEKDAYS) {
    let previousEnd = -1;
    for (const [i, [from, to]] of (week[d] ?? []).entries()) {
      const [start, end] = [minutesOf(from), minutesOf(to)];
      if (start === null || start === 1440) issues.push({ path: [d, i, 0], code: "bad_time" });
      else if (end === null) issues.push({ path: [d, i, 1], code: "bad_time" });
      else if (start >= end) issues.push({ path: [d, i], code: "interval_order" });
      else {
        if (start < previousEnd) issues.push({ path: [d, i], code: "intervals_overlap" });
        previousEnd = Math.max(previousEnd, end);
        working += end - start;
      }
    }
  }
  if (issues.length === 0 && working === 0) issues.push({ path: [], code: "no_working_hours" });
  return issues;
}

/** A holiday as the API takes it: Gregorian "2026-03-21", Jalali "1405/01/01" or { jalali: "1405-01-01" }. */
export type HolidayInput = string | { jalali: string };

/** Persian and Arabic-Indic digits read as ASCII ones (a Persian keyboard types ۰۸:۰۰). */
export const asciiDigits = (s: string) =>
  s
    .replace(/[\u06f0-\u06f9]/g, (c) => String(c.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660));

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** A real Gregorian date "YYYY-MM-DD", or null. */
function gregorian(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** A Jalali date to Gregorian "YYYY-MM-DD", or null when that day does not exist (1404/12/30). */
function fromJalali(y: number, m: number, d: number): string | null {
  if (y < 1 || y > 9000 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  // newDate rolls an impossible day (1404/12/30) into the next month: it must read back the same.
  const date = newDate(y, m - 1, d);
  if (Number.isNaN(date.getTime()) || formatJalali(date, "y-M-d") !== `${y}-${m}-${d}`) return null;
  return gregorian(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/**
 * A holiday as a Gregorian "YYYY-MM-DD", or null when it is no real date. Slashes
 * mean Jalali (how Iranians write dates), dashes Gregorian; { jalali } is Jalali
 * either way. Persian digits are read too.
 */
export function holidayToGregorian(input: HolidayInput): string | null {
  const jalaliObject = typeof input === "object";
  const text = asciiDigits((jalaliObject ? input.jalali : input).trim());
  const m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[3]), Number(m[4])];
  return jalaliObject || m[2] === "/" ? fromJalali(y, mo, d) : gregorian(y, mo, d);
}
