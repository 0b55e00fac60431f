import { format as formatJalali, newDate as jalaliDate } from "date-fns-jalali";
import { formatNumber, persianDigits } from "../format.js";
import { t } from "../i18n.js";
import { downloadFile } from "../remote/report-queries.js";
import type { Session } from "../remote/session.js";

export type {
  AgentsReport,
  BreakdownReport,
  CsatReport,
  SlaReport,
  TimingsReport,
  VolumeReport,
} from "../remote/report-queries.js";

/** What the screen asks every report for (the API's query parameters; "" = not set). */
export interface ReportParams {
  from: string;
  to: string;
  interval: "day" | "week" | "month";
  branchId: string;
  categoryId: string;
  priority: string;
}

export const queryOf = (p: ReportParams, extra: Record<string, string> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...p, ...extra })) if (v) q.set(k, v);
  return q.toString();
};

const pad = (n: number) => String(n).padStart(2, "0");
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const dayDate = (day: string) => {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d);
};

/** A day as the reader writes dates: Jalali (yyyy/MM/dd) in Persian, ISO otherwise. */
export const dayInput = (day: string, lang: string) =>
  lang === "fa" ? persianDigits(formatJalali(dayDate(day), "yyyy/MM/dd")) : day;

const LATIN = (s: string) => s.replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d)));

/** What the reader typed back into an ISO day; null while it is not a date yet. */
export function dayFromInput(text: string, lang: string): string | null {
  if (lang !== "fa") return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(LATIN(text.trim()));
  if (!m) return null;
  const [y, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return isoDay(jalaliDate(y, month - 1, day));
}

/** A bucket's first day, short: "12 Esfand" in Persian (Jalali), "2 Mar" otherwise. */
export function dayLabel(day: string, lang: string, withYear = false): string {
  const d = dayDate(day);
  if (lang === "fa") return persianDigits(formatJalali(d, withYear ? "d MMMM yyyy" : "d MMM"));
  return new Intl.DateTimeFormat(lang === "ru" ? "ru-RU" : "en-GB", {
    day: "numeric",
    month: "short",
    ...(withYear ? { year: "numeric" } : {}),
  }).format(d);
}

/** Seconds as the reader reads a wait: minutes under two hours, hours after. */
export function durationText(seconds: number | null, lang: string): string {
  if (seconds === null) return t("reports.none");
  const minutes = seconds / 60;
  if (minutes < 120) return t("reports.minutes", { n: formatNumber(Math.round(minutes), lang) });
  return t("reports.hours", { n: formatNumber(Math.round(minutes / 6) / 10, lang) });
}

export const percentText = (ratio: number | null, lang: string) =>
  ratio === null ? t("reports.none") : `${formatNumber(Math.round(ratio * 100), lang)}%`;

/** Downloads an export in the session's name (a plain link would carry no token). */
export const downloadExport = (
  session: Session,
  name: string,
  format: "csv" | "xlsx" | "pdf",
  query: string,
): Promise<void> =>
  downloadFile(session, `/api/reports/export/${name}?${query}&format=${format}`, `${name}.${format}`);
