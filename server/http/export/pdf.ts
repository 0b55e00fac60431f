import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import PDFDocument from "pdfkit";
import type { ReportColumn, ReportTable } from "../../domain/index.js";
import { drawOrder, visualRuns } from "./bidi-runs.js";
import { type ExportLocale, headerOf, sheetNameOf } from "./cells.js";
import { totalsRow } from "./csv.js";
import { fontFor, PDF_FONTS } from "./pdf-fonts.js";
import { pdfText } from "./pdf-values.js";

export const PDF_TYPE = "application/pdf";

type Direction = "rtl" | "ltr" | "auto";

const MARGIN = 36;
const FONT_SIZE = 8;
const ROW = 15;
const PAD = 3;

/** How wide a column is drawn, relative to the others: names and titles get the room. */
const WEIGHT: Record<ReportColumn["type"], number> = {
  text: 2.2,
  name: 1.8,
  instant: 1.5,
  day: 1.1,
  number: 1,
  duration: 1,
  ratio: 1,
};

/** Columns whose width is known better than their type says: a title needs room, a status little. */
const KEY_WEIGHT: Record<string, number> = {
  title: 4.5,
  number: 1.7,
  status: 1.3,
  priority: 1,
  measure: 1.8,
  target: 1.6,
};
const weightOf = (c: ReportColumn) => KEY_WEIGHT[c.key] ?? WEIGHT[c.type];

/**
 * A PDF written as it streams (pdfkit writes each finished page out), landscape A4,
 * a titled table per report table with its header repeated on every page. Persian
 * readers get the page right to left: columns start at the right edge and every
 * line is ordered by the bidirectional algorithm (bidi-runs.ts). The caller gets
 * the bytes as a web stream at once; they flow while `fill` runs.
 */
export function streamPdf(
  l: ExportLocale,
  title: string,
  fill: (pdf: PdfWriter) => Promise<void>,
  onError: (e: unknown) => void,
): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: MARGIN,
    info: { Title: title, Creator: "helpdesk" },
  });
  for (const [name, path] of Object.entries(PDF_FONTS)) doc.registerFont(name, path);
  doc.pipe(out);
  const writer = new PdfWriter(doc, l, out);
  (async () => {
    writer.heading(title, 14);
    await fill(writer);
    doc.end();
  })().catch((e) => {
    onError(e);
    out.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

export class PdfWriter {
  private y = MARGIN;
  private readonly rtl: boolean;
  private readonly width: number;
  private readonly bottom: number;
  private current: { columns: ReportColumn[]; widths: number[] } | null = null;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly l: ExportLocale,
    private readonly out: PassThrough,
  ) {
    this.rtl = l.language === "fa";
    this.width = doc.page.width - 2 * MARGIN;
    this.bottom = doc.page.height - MARGIN;
  }

  /** A line of text across the page (a title, a table's name, a note). */
  heading(text: string, size = 11): void {
    this.room(size * 2);
    this.line(text, MARGIN, this.width, size, true, this.pageDirection());
    this.y += size * 1.8;
  }

  note(text: string): void {
    this.room(ROW);
    this.line(text, MARGIN, this.width, FONT_SIZE, false, this.pageDirection());
    this.y += ROW;
  }

  /** Starts a table: its name and a header row. */
  startTable(key: string, columns: ReportColumn[]): void {
    this.y += 6;
    this.heading(sheetNameOf(this.l, key));
    const total = columns.reduce((s, c) => s + weightOf(c), 0);
    this.current = { columns, widths: columns.map((c) => (this.width * weightOf(c)) / total) };
    this.header();
  }

  /** Rows of the current table; waits while the reader is behind, so memory stays bounded. */
  async rows(rows: Record<string, unknown>[], bold = false): Promise<void> {
    const table = this.current;
    if (!table) throw new Error("rows before startTable");
    for (const row of rows) {
      if (this.y + ROW > this.bottom) {
        this.doc.addPage();
        this.y = MARGIN;
        this.header();
      }
      this.cells(
        table.columns.map((c) => pdfText(c, row[c.key], this.l)),
        bold,
      );
    }
    if (this.out.writableNeedDrain) await once(this.out, "drain");
  }

  /** A whole report table, with its totals in bold. */
  async table(table: ReportTable): Promise<void> {
    this.startTable(table.key, table.columns);
    await this.rows(table.rows);
    if (table.totals) await this.rows([totalsRow(this.l, table)], true);
  }

  private header(): void {
    const table = this.current;
    if (!table) return;
    this.doc.rect(MARGIN, this.y, this.width, ROW).fill("#e8e8e8").fillColor("black");
    this.cells(
      table.columns.map((c) => headerOf(this.l, c)),
      true,
      true,
    );
  }

  private pageDirection(): Direction {
    return this.rtl ? "rtl" : "ltr";
  }

  /**
   * One row of cells, the first column at the start edge (the right one for Persian).
   * Texts take the direction of their first letter; numbers, dates and times read
   * left to right on every page ("2026-03-10 11:30", not "11:30 2026-03-10").
   */
  private cells(texts: string[], bold: boolean, header = false): void {
    const table = this.current;
    if (!table) return;
    let x = this.rtl ? MARGIN + this.width : MARGIN;
    texts.forEach((text, i) => {
      const w = table.widths[i];
      if (this.rtl) x -= w;
      const type = table.columns[i].type;
      const dir: Direction = header
        ? this.pageDirection()
        : type === "text" || type === "name"
          ? "auto"
          : "ltr";
      this.line(text, x + PAD, w - 2 * PAD, FONT_SIZE, bold, dir);
      if (!this.rtl) x += w;
    });
    this.doc
      .moveTo(MARGIN, this.y + ROW)
      .lineTo(MARGIN + this.width, this.y + ROW)
      .lineWidth(0.3)
      .stroke("#bbbbbb");
    this.y += ROW;
  }

  private room(height: number): void {
    if (this.y + height <= this.bottom) return;
    this.doc.addPage();
    this.y = MARGIN;
  }

  /**
   * One line of text in a box, cut with "…" when it does not fit: its runs (bidi
   * order, left to right) each drawn in the font of its script.
   */
  private line(text: string, x: number, width: number, size: number, bold: boolean, dir: Direction) {
    const align = this.rtl ? "right" : "left";
    let chars = [...text.replace(/[\r\n\t]+/g, " ")];
    let runs = this.measure(chars.join(""), size, bold, dir);
    while (runs.width > width && chars.length > 1) {
      chars = chars.slice(0, -Math.max(1, Math.ceil(chars.length / 12)));
      runs = this.measure(`${chars.join("").trimEnd()}…`, size, bold, dir);
    }
    let at = align === "right" ? x + width - runs.width : x;
    const baseline = this.y + (ROW - size) / 2 - 1;
    for (const run of runs.parts) {
      this.doc.font(run.font).fontSize(size).fillColor("black");
      this.doc.text(run.text, at, baseline, { lineBreak: false, features: [] });
      at += run.width;
    }
  }

  private measure(text: string, size: number, bold: boolean, dir: Direction) {
    const parts = visualRuns(text, dir).map((r) => {
      const font = fontFor(r.text, bold);
      const drawn = drawOrder(r);
      this.doc.font(font).fontSize(size);
      return { text: drawn, font, width: this.doc.widthOfString(drawn, { features: [] }) };
    });
    return { parts, width: parts.reduce((s, p) => s + p.width, 0) };
  }
}
