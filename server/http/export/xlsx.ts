import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { ReportColumn, ReportTable } from "../../domain/index.js";
import { type ExportLocale, headerOf, sheetNameOf, XLSX_FORMATS, xlsxValue } from "./cells.js";
import { totalsRow } from "./csv.js";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

type Sheet = ExcelJS.Worksheet;

/**
 * A workbook written as it streams (exceljs's WorkbookWriter: each committed row
 * leaves memory), a sheet per table. `fill` adds the sheets; the caller gets the
 * bytes as a web stream at once and they flow while `fill` runs.
 */
export function streamWorkbook(
  l: ExportLocale,
  fill: (book: WorkbookFiller) => Promise<void>,
  onError: (e: unknown) => void,
): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const filler = new WorkbookFiller(book, l, out);
  (async () => {
    await fill(filler);
    await book.commit();
  })().catch((e) => {
    onError(e);
    out.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

export class WorkbookFiller {
  constructor(
    private readonly book: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly l: ExportLocale,
    private readonly out: PassThrough,
  ) {}

  /** A new sheet with a bold header row; right to left for Persian readers. */
  sheet(key: string, columns: ReportColumn[]): Sheet {
    const rtl = this.l.language === "fa";
    const ws = this.book.addWorksheet(sheetNameOf(this.l, key), { views: [{ rightToLeft: rtl }] });
    ws.columns = columns.map((c) => ({
      header: headerOf(this.l, c),
      key: c.key,
      width: c.type === "instant" ? 18 : c.type === "text" || c.type === "name" ? 24 : 12,
      style: XLSX_FORMATS[c.type] ? { numFmt: XLSX_FORMATS[c.type] } : {},
    }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    return ws;
  }

  /** Writes rows and waits while the reader is behind, so memory stays bounded. */
  async rows(ws: Sheet, columns: ReportColumn[], rows: Record<string, unknown>[]): Promise<void> {
    for (const row of rows) ws.addRow(columns.map((c) => xlsxValue(c.type, row[c.key], this.l))).commit();
    if (this.out.writableNeedDrain) await once(this.out, "drain");
  }

  async table(table: ReportTable): Promise<void> {
    const ws = this.sheet(table.key, table.columns);
    await this.rows(ws, table.columns, table.rows);
    if (table.totals) {
      const r = ws.addRow(
        table.columns.map((c) => xlsxValue(c.type, totalsRow(this.l, table)[c.key], this.l)),
      );
      r.font = { bold: true };
      r.commit();
    }
    ws.commit();
  }
}
