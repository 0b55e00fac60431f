import type { ReportColumn } from "../../domain/index.js";
import { type ExportLocale, xlsxValue } from "./cells.js";

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

/** Persian readers see Persian digits (۱۴۰۵), as in the Mini App; others keep 0–9. */
export const localDigits = (text: string, language: string) =>
  language === "fa" ? text.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]) : text;

/** Stored keys shown as words: a status or priority in the reader's language. */
const KEY_TEXTS: Record<string, (v: string) => string> = {
  status: (v) => `common:status.${v}`,
  priority: (v) => `common:priority.${v}`,
  measure: (v) => `miniapp:reports.columns.${v}`,
  target: (v) => `miniapp:reports.columns.${v}`,
};

/**
 * A cell as a reader sees it on paper: the same values as the CSV and XLSX exports
 * (local dates in TIME_ZONE, durations in minutes, ratios as percentages), with
 * statuses and priorities translated and, for Persian readers, Persian digits.
 */
export function pdfText(column: ReportColumn, v: unknown, l: ExportLocale): string {
  const value = xlsxValue(column.type, v, l);
  if (value === null) return "";
  let text: string;
  if (value instanceof Date) {
    const iso = value.toISOString();
    text = column.type === "day" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  } else if (typeof value === "number") {
    text = column.type === "ratio" ? `${(value * 100).toFixed(1)}%` : String(value);
  } else {
    const key = KEY_TEXTS[column.key];
    text = key ? l.t(key(value), { defaultValue: value }) : value;
  }
  return column.type === "text" || column.type === "name" ? text : localDigits(text, l.language);
}
