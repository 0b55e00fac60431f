import { format as formatJalali } from "date-fns-jalali";
import type { InferResponseType } from "hono/client";
import { formatNumber, persianDigits } from "../../format.js";
import type { ApiClient } from "../../remote/client.js";

/** A policy and a calendar as the API answers them (types from the server's routes). */
export type PolicyDto = InferResponseType<ApiClient["sla-policies"]["$get"], 200>[number];
export type CalendarDto = InferResponseType<ApiClient["business-calendars"]["$get"], 200>[number];
export type WeekDto = CalendarDto["week"];
export type Weekday = keyof WeekDto;
/** A holiday in the form: a stored Gregorian date, or what the admin typed (Jalali in Persian). */
export type HolidayEntry = string | { jalali: string };

export const PRIORITIES = ["critical", "high", "normal", "low"] as const;
export const TARGETS = ["firstResponseMinutes", "nextResponseMinutes", "resolutionMinutes"] as const;

/** The week as the reader counts it: from Saturday in Persian, from Monday otherwise. */
export const weekdaysFor = (lang: string): Weekday[] =>
  lang === "fa" ? ["6", "0", "1", "2", "3", "4", "5"] : ["1", "2", "3", "4", "5", "6", "0"];

/** A weekday's name in the reader's language (4 Jan 2026 was a Sunday). */
export const weekdayName = (d: Weekday, lang: string) =>
  new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2026, 0, 4 + Number(d))),
  );

/** Minutes as hours, e.g. 90 → "1.5" (in the reader's digits). */
export const hoursOf = (minutes: number, lang: string) =>
  formatNumber(Math.round((minutes / 60) * 100) / 100, lang);

/** A stored Gregorian holiday as the reader writes dates: Jalali in Persian. */
export function holidayText(h: HolidayEntry, lang: string): string {
  if (typeof h !== "string") return h.jalali;
  const [y, m, d] = h.split("-").map(Number);
  if (lang === "fa") return persianDigits(formatJalali(new Date(y, m - 1, d), "EEEE d MMMM yyyy"));
  return new Intl.DateTimeFormat(lang === "ru" ? "ru-RU" : "en-GB", {
    dateStyle: "full",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** What the admin types as a holiday: a Jalali date in Persian, a Gregorian one otherwise. */
export const holidayEntryOf = (text: string, lang: string): HolidayEntry =>
  lang === "fa" ? { jalali: text.trim() } : text.trim();

/** One day's intervals as text: "08:00-12:00, 13:00-16:00". */
export const dayText = (intervals: [string, string][] | undefined) =>
  (intervals ?? []).map(([from, to]) => `${from}-${to}`).join(", ");

/** The text back into intervals; a piece without a dash goes as typed, for the server to refuse. */
export function dayIntervals(text: string): [string, string][] {
  return text
    .split(/[,،;]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((piece) => {
      const [from, to = ""] = piece.split(/\s*[-–—]\s*/);
      return [from.trim(), to.trim()];
    });
}

const full: [string, string][] = [["08:00", "16:00"]];
const office: [string, string][] = [["09:00", "17:00"]];
/** The presets the server also knows ("iran", "mon_fri"), filled in the form so they can be adjusted. */
export const PRESET_WEEKS: Record<"iran" | "mon_fri", WeekDto> = {
  iran: { "6": full, "0": full, "1": full, "2": full, "3": full, "4": [["08:00", "12:00"]] },
  mon_fri: { "1": office, "2": office, "3": office, "4": office, "5": office },
};
