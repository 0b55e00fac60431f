import { format as formatJalali, newDate } from "date-fns-jalali";
import { z } from "zod";
import { isTimeZone } from "./admin-forms.js";

/**
 * The business calendar form's rules, checked before anything is sent so a mistake
 * is said beside its field at once. A copy of the server's (server/domain/sla/schemas.ts
 * createCalendarSchema, with calendar-input.ts weekIssues and holidayToGregorian),
 * since the Mini App may import no server code at run time; same shape, same issue
 * codes and paths, so the words match the server's 422. tests/unit/admin-forms.test.ts
 * holds the two together.
 */

/** A rule of ours broken: its code travels in params, as the server's do. */
const ownIssue = (path: PropertyKey[], code: string) => ({
  code: "custom" as const,
  path,
  message: code,
  params: { code },
});

const WEEKDAYS = ["0", "1", "2", "3", "4", "5", "6"] as const;
const PRESETS = ["iran", "mon_fri"] as const;

/** "HH:MM" as minutes since midnight ("24:00" = 1440, only meaningful as an end); null if malformed. */
function minutesOf(time: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h === 24 && min === 0) return 1440;
  return h < 24 && min < 60 ? h * 60 + min : null;
}

type Week = Partial<Record<(typeof WEEKDAYS)[number], [string, string][]>>;

/**
 * What is wrong with a week: each interval well formed with its start before its
 * end, a day's intervals in order without overlapping (touching is fine), and some
 * working time in the week. Paths as the server's: [day, interval, 0|1] for a bad
 * time, [day, interval] for the order, [] for an empty week.
 */
function weekIssues(week: Week): { path: (string | number)[]; code: string }[] {
  const issues: { path: (string | number)[]; code: string }[] = [];
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

const asciiDigits = (s: string) =>
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

/** A Jalali date to Gregorian, or null when that day does not exist (1404/12/30). */
function fromJalali(y: number, m: number, d: number): string | null {
  if (y < 1 || y > 9000 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = newDate(y, m - 1, d);
  if (Number.isNaN(date.getTime()) || formatJalali(date, "y-M-d") !== `${y}-${m}-${d}`) return null;
  return gregorian(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/** Slashes mean Jalali, dashes Gregorian; { jalali } is Jalali either way; Persian digits are read too. */
function holidayToGregorian(input: string | { jalali: string }): string | null {
  const jalaliObject = typeof input === "object";
  const text = asciiDigits((jalaliObject ? input.jalali : input).trim());
  const m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[3]), Number(m[4])];
  return jalaliObject || m[2] === "/" ? fromJalali(y, mo, d) : gregorian(y, mo, d);
}

const timeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .superRefine((zone, ctx) => {
    if (!isTimeZone(zone)) ctx.addIssue(ownIssue([], "bad_time_zone"));
  });

/** A time of day as typed: Persian or Arabic-Indic digits are read too (۰۸:۰۰ is 08:00). */
const timeOfDay = z.string().max(5).transform(asciiDigits);

const week = z
  .partialRecord(z.enum(WEEKDAYS), z.array(z.tuple([timeOfDay, timeOfDay])).max(12))
  .superRefine((w, ctx) => {
    for (const issue of weekIssues(w)) ctx.addIssue(ownIssue(issue.path, issue.code));
  });

const holidays = z
  .array(z.union([z.string().max(20), z.object({ jalali: z.string().max(20) }).strict()]))
  .max(400)
  .transform((list, ctx) => {
    const days = new Set<string>();
    list.forEach((holiday, i) => {
      const day = holidayToGregorian(holiday);
      if (day) days.add(day);
      else ctx.addIssue(ownIssue([i], "bad_date"));
    });
    return [...days].sort();
  });

/** What the form sends, on create and on edit (a preset stands in for an empty zone). */
export const calendarForm = z
  .object({
    name: z.string().trim().min(1).max(100),
    preset: z.enum(PRESETS).optional(),
    timeZone: timeZone.optional(),
    week: week.optional(),
    holidays: holidays.default([]),
    branchId: z.uuid().nullable().default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.preset) return;
    if (!c.timeZone) ctx.addIssue(ownIssue(["timeZone"], "required"));
    if (!c.week) ctx.addIssue(ownIssue(["week"], "required"));
  });
