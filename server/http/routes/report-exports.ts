import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import {
  getAgentsReport,
  getBreakdownReport,
  getCsatReport,
  getSlaReport,
  getTimingsReport,
  getVolumeReport,
  localDayString,
  REPORT_NAMES,
  type ReportName,
  type ReportOf,
  reportTables,
  type ServiceContext,
  TICKET_EXPORT_COLUMNS,
  walkTicketsForExport,
} from "../../domain/index.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import type { ExportLocale } from "../export/cells.js";
import { BOM, csvHeader, csvLine, reportCsv } from "../export/csv.js";
import { streamWorkbook, XLSX_TYPE } from "../export/xlsx.js";
import { validated } from "../middleware/validate.js";

const READERS: { [N in ReportName]: (a: { ctx: ServiceContext; input: unknown }) => Promise<ReportOf[N]> } = {
  volume: getVolumeReport,
  timings: getTimingsReport,
  sla: getSlaReport,
  csat: getCsatReport,
  agents: getAgentsReport,
  breakdown: getBreakdownReport,
};

export const EXPORT_NAMES = [...REPORT_NAMES, "tickets"] as const;
export const exportParams = z.object({ name: z.enum(EXPORT_NAMES) });
/** The format; every other parameter is the report's own (or GET /api/tickets' filters). */
export const exportQuery = z.looseObject({ format: z.enum(["csv", "xlsx"]).default("csv") });

const CSV_TYPE = "text/csv; charset=utf-8";

/**
 * GET /api/reports/export/:name?format=csv|xlsx: a report, or the ticket list with the
 * queue's filters, as a file (staff only). The ticket list streams by keyset batches.
 */
export function reportExportRoutes(api: ApiDeps) {
  return new Hono<HttpEnv>().get(
    "/:name",
    validated("param", exportParams),
    validated("query", exportQuery),
    async (c) => {
      const { name } = c.req.valid("param");
      const { format, ...input } = c.req.valid("query");
      const ctx = c.get("svc");
      const locale: ExportLocale = {
        t: api.i18n.getFixedT(c.get("language")),
        language: c.get("language"),
        timeZone: ctx.settings.timeZone,
      };
      const day = localDayString(ctx.clock.now(), locale.timeZone);
      const fileName = (range: string) => `${name}-${range}.${format}`;
      c.header("Content-Type", format === "csv" ? CSV_TYPE : XLSX_TYPE);
      c.header("Cache-Control", "no-store");
      if (name === "tickets") {
        // The first batch is read before answering, so a refusal is still a proper error status.
        const batches = walkTicketsForExport({ ctx, input });
        const first = await batches.next();
        const all = (async function* () {
          if (!first.done) yield first.value;
          yield* batches;
        })();
        c.header("Content-Disposition", `attachment; filename="${fileName(day)}"`);
        const columns = TICKET_EXPORT_COLUMNS;
        if (format === "xlsx") {
          const body = streamWorkbook(
            locale,
            async (book) => {
              const ws = book.sheet("tickets", columns);
              for await (const rows of all)
                await book.rows(ws, columns, rows as unknown as Record<string, unknown>[]);
              ws.commit();
            },
            (e) => api.logger.error({ err: e }, "ticket export failed"),
          );
          return c.body(body);
        }
        return stream(
          c,
          async (s) => {
            await s.write(BOM + csvHeader(locale, columns));
            for await (const rows of all)
              await s.write(
                rows.map((r) => csvLine(locale, columns, r as unknown as Record<string, unknown>)).join(""),
              );
          },
          async (e) => api.logger.error({ err: e }, "ticket export failed"),
        );
      }
      const report = await READERS[name]({ ctx, input });
      const tables = reportTables(name, report);
      c.header(
        "Content-Disposition",
        `attachment; filename="${fileName(`${report.range.from}_${report.range.to}`)}"`,
      );
      if (format === "csv") return c.body(reportCsv(locale, tables));
      const body = streamWorkbook(
        locale,
        async (book) => {
          for (const table of tables) await book.table(table);
        },
        (e) => api.logger.error({ err: e }, "report export failed"),
      );
      return c.body(body);
    },
  );
}
