import type { ReportColumn, ReportTable } from "../../domain/index.js";
import { csvField, csvText, type ExportLocale, headerOf, sheetNameOf } from "./cells.js";

/** UTF-8's byte order mark: without it Excel reads the file as ANSI and Persian comes out garbled. */
export const BOM = "\uFEFF";

export const csvHeader = (l: ExportLocale, columns: ReportColumn[]) =>
  `${columns.map((c) => csvField(headerOf(l, c))).join(",")}\r\n`;

export const csvLine = (l: ExportLocale, columns: ReportColumn[], row: Record<string, unknown>) =>
  `${columns.map((c) => csvText(c.type, row[c.key], l)).join(",")}\r\n`;

/**
 * A report's tables as CSV text: one table as it is; several one after another, each
 * under its name and separated by an empty line.
 */
export function reportCsv(l: ExportLocale, tables: ReportTable[]): string {
  const parts = tables.map((table) => {
    const title = tables.length > 1 ? `${csvField(sheetNameOf(l, table.key))}\r\n` : "";
    const rows = table.rows.map((r) => csvLine(l, table.columns, r)).join("");
    const totals = table.totals ? csvLine(l, table.columns, totalsRow(l, table)) : "";
    return title + csvHeader(l, table.columns) + rows + totals;
  });
  return BOM + parts.join("\r\n");
}

/** The totals row with its label translated ("total" in the first column). */
export function totalsRow(l: ExportLocale, table: ReportTable): Record<string, unknown> {
  const first = table.columns[0].key;
  return { ...table.totals, [first]: l.t("miniapp:reports.total", { defaultValue: "total" }) };
}
