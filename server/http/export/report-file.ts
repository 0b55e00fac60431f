import { Readable } from "node:stream";
import {
  getAgentsReport,
  getBreakdownReport,
  getCsatReport,
  getLiveReport,
  getSlaReport,
  getTimingsReport,
  getVolumeReport,
  localDayString,
  REPORT_NAMES,
  type ReportColumn,
  type ReportName,
  type ReportOf,
  reportTables,
  type ServiceContext,
  TICKET_EXPORT_COLUMNS,
  walkTicketsForExport,
} from "../../domain/index.js";
import type { ExportLocale } from "./cells.js";
import { BOM, csvHeader, csvLine, reportCsv } from "./csv.js";
import { PDF_TYPE, streamPdf } from "./pdf.js";
import { localDigits } from "./pdf-values.js";
import { streamWorkbook, XLSX_TYPE } from "./xlsx.js";

export const EXPORT_FORMATS = ["csv", "xlsx", "pdf"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_NAMES = [...REPORT_NAMES, "tickets"] as const;
export type ExportName = (typeof EXPORT_NAMES)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: XLSX_TYPE,
  pdf: PDF_TYPE,
};

/**
 * A PDF is for reading: the ticket list stops after this many rows (a note says so
 * and points to CSV or Excel, which stream every row). Pages still stream as written.
 */
export const PDF_TICKET_ROWS = 5_000;

/** The ticket list's columns on paper, where fifteen would not fit a landscape page. */
const PDF_TICKET_COLUMNS = TICKET_EXPORT_COLUMNS.filter((c) =>
  [
    "number",
    "title",
    "status",
    "priority",
    "category",
    "branch",
    "assignee",
    "createdAt",
    "resolvedAt",
  ].includes(c.key),
);

const READERS: { [N in ReportName]: (a: { ctx: ServiceContext; input: unknown }) => Promise<ReportOf[N]> } = {
  volume: getVolumeReport,
  timings: getTimingsReport,
  sla: getSlaReport,
  csat: getCsatReport,
  agents: getAgentsReport,
  breakdown: getBreakdownReport,
  live: getLiveReport,
};

export interface ReportFile {
  fileName: string;
  contentType: string;
  /** The bytes as they are written (large files never sit in memory whole). */
  body: ReadableStream<Uint8Array>;
  /** The range the file covers ("2026-02-09 – 2026-03-10"; the day for the ticket list). */
  range: string;
  /** "Tickets — 2026-02-09 – 2026-03-10" in the reader's language: a PDF's heading, a post's caption. */
  title: string;
}

/**
 * A report (or the ticket list with the queue's filters) as a CSV, XLSX or PDF file,
 * read with the actor's rights and scope. The ticket list's first batch is read
 * before this returns, so a refusal is still an error the caller can answer with;
 * a failure later cuts the stream short and goes to `onError`.
 */
export async function renderReportFile(a: {
  ctx: ServiceContext;
  locale: ExportLocale;
  name: ExportName;
  format: ExportFormat;
  input: unknown;
  onError: (e: unknown) => void;
}): Promise<ReportFile> {
  const { ctx, locale, name, format, onError } = a;
  const contentType = CONTENT_TYPES[format];
  const title = (range: string) =>
    locale.t("miniapp:reportDelivery.file_title", {
      report: locale.t(`miniapp:reports.tables.${name}`, { defaultValue: name }),
      range: localDigits(range, locale.language),
    });
  if (name === "tickets") {
    const day = localDayString(ctx.clock.now(), locale.timeZone);
    const batches = walkTicketsForExport({ ctx, input: a.input });
    const first = await batches.next();
    const all = (async function* () {
      if (!first.done) yield first.value as unknown as Record<string, unknown>[];
      yield* batches as AsyncGenerator<unknown[]> as AsyncGenerator<Record<string, unknown>[]>;
    })();
    const fileName = `tickets-${day}.${format}`;
    const base = { fileName, contentType, range: day, title: title(day) };
    if (format === "csv") return { ...base, body: csvStream(locale, TICKET_EXPORT_COLUMNS, all, onError) };
    if (format === "xlsx") {
      const body = streamWorkbook(
        locale,
        async (book) => {
          const ws = book.sheet("tickets", TICKET_EXPORT_COLUMNS);
          for await (const rows of all) await book.rows(ws, TICKET_EXPORT_COLUMNS, rows);
          ws.commit();
        },
        onError,
      );
      return { ...base, body };
    }
    const body = streamPdf(
      locale,
      title(day),
      async (pdf) => {
        pdf.startTable("tickets", PDF_TICKET_COLUMNS);
        let written = 0;
        for await (const rows of all) {
          const room = PDF_TICKET_ROWS - written;
          await pdf.rows(rows.slice(0, room));
          written += Math.min(rows.length, room);
          if (rows.length > room) {
            const n = localDigits(String(written), locale.language);
            pdf.note(locale.t("miniapp:reportDelivery.pdf_cut", { n }));
            break; // leaving the loop ends the walk: no further batch is read
          }
        }
      },
      onError,
    );
    return { ...base, body };
  }
  const report = await READERS[name]({ ctx, input: a.input });
  const tables = reportTables(name, report);
  const range = `${report.range.from}_${report.range.to}`;
  const shown = `${report.range.from} – ${report.range.to}`;
  const base = { fileName: `${name}-${range}.${format}`, contentType, range: shown, title: title(shown) };
  if (format === "csv") return { ...base, body: textStream(reportCsv(locale, tables)) };
  if (format === "xlsx")
    return {
      ...base,
      body: streamWorkbook(
        locale,
        async (book) => {
          for (const table of tables) await book.table(table);
        },
        onError,
      ),
    };
  const body = streamPdf(
    locale,
    base.title,
    async (pdf) => {
      for (const table of tables) await pdf.table(table);
    },
    onError,
  );
  return { ...base, body };
}

const textStream = (text: string) =>
  Readable.toWeb(Readable.from([Buffer.from(text)])) as ReadableStream<Uint8Array>;

/** Rows as CSV lines, pulled batch by batch as the reader takes them. */
function csvStream(
  l: ExportLocale,
  columns: ReportColumn[],
  batches: AsyncIterable<Record<string, unknown>[]>,
  onError: (e: unknown) => void,
): ReadableStream<Uint8Array> {
  const lines = (async function* () {
    try {
      yield Buffer.from(BOM + csvHeader(l, columns));
      for await (const rows of batches) yield Buffer.from(rows.map((r) => csvLine(l, columns, r)).join(""));
    } catch (e) {
      onError(e);
      throw e;
    }
  })();
  return Readable.toWeb(Readable.from(lines)) as ReadableStream<Uint8Array>;
}

/** The whole file in memory: for a file sent to Telegram (at most 50 MB by the Bot API). */
export async function reportFileBytes(file: ReportFile): Promise<Uint8Array> {
  return new Uint8Array(await new Response(file.body).arrayBuffer());
}
