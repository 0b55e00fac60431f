import type { TFunction } from "i18next";
import type { ColumnType, ReportColumn } from "../../domain/index.js";
import { wallFormat } from "../../domain/index.js";

/** What an export needs to write values for a reader: their language and the deployment's zone. */
export interface ExportLocale {
  t: TFunction;
  language: string;
  timeZone: string;
}

export const headerOf = (l: ExportLocale, c: ReportColumn) =>
  l.t(`miniapp:reports.columns.${c.key}`, { defaultValue: c.key });

/** Excel's sheet names: at most 31 characters, none of []:*?/\ . */
export const sheetNameOf = (l: ExportLocale, key: string) =>
  l
    .t(`miniapp:reports.tables.${key.startsWith("by_") ? "breakdown" : key}`, { defaultValue: key })
    .replace(/[[\]:*?/\\]/g, " ")
    .slice(0, 31);

/** A localized name in the reader's language, else English, else Persian; text as it is. */
function nameText(v: unknown, language: string): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  const names = v as Record<string, string>;
  return names[language] ?? names.en ?? names.fa ?? "";
}

/**
 * The local wall time of an instant in the zone, as a Date whose UTC fields carry it:
 * spreadsheets store dates without a zone, so the cell shows what a local clock showed.
 * The zone's offset is looked up once per quarter hour (offsets and their changes fall
 * on quarter hours), as formatting every date costs an export most of its time.
 */
export function localWall(d: Date, timeZone: string): Date {
  const quarter = Math.floor(d.getTime() / 900_000);
  const key = `${timeZone}|${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const at = quarter * 900_000;
    const parts = Object.fromEntries(
      wallFormat(timeZone)
        .formatToParts(new Date(at))
        .map((p) => [p.type, p.value]),
    );
    const wall = Date.UTC(
      +parts.year,
      +parts.month - 1,
      +parts.day,
      +parts.hour % 24,
      +parts.minute,
      +parts.second,
    );
    offset = wall - at;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return new Date(d.getTime() + offset);
}
const offsets = new Map<string, number>();

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const isDay = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** A typed cell value for a workbook: numbers as numbers, dates as dates, durations in minutes. */
export function xlsxValue(type: ColumnType, v: unknown, l: ExportLocale): string | number | Date | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "number":
    case "ratio":
      return typeof v === "number" ? v : String(v);
    case "duration":
      return typeof v === "number" ? Math.round(v / 6) / 10 : null;
    case "day":
      return isDay(v) ? new Date(`${v}T00:00:00Z`) : String(v);
    case "instant":
      return localWall(asDate(v), l.timeZone);
    case "name":
      return nameText(v, l.language);
    default:
      return String(v);
  }
}

/** The same value as CSV text (dates as local "YYYY-MM-DD HH:MM:SS"). */
export function csvText(type: ColumnType, v: unknown, l: ExportLocale): string {
  const value = xlsxValue(type, v, l);
  if (value === null) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return type === "day" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof value === "number") return String(value);
  return csvField(value);
}

/**
 * Quotes a field when it must be, and defuses formulas: a text starting with = + - @
 * would run as a formula in Excel (CSV injection), so it gets a leading apostrophe.
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const XLSX_FORMATS: Partial<Record<ColumnType, string>> = {
  ratio: "0.0%",
  duration: "0.0",
  day: "yyyy-mm-dd",
  instant: "yyyy-mm-dd hh:mm",
};
