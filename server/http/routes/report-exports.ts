import { Hono } from "hono";
import { z } from "zod";
import { sendReportSchema, sendReportToChat } from "../../domain/index.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import type { ExportLocale } from "../export/cells.js";
import { EXPORT_FORMATS, EXPORT_NAMES, renderReportFile, reportFileBytes } from "../export/report-file.js";
import { validated, validatedJson } from "../middleware/validate.js";

export { EXPORT_NAMES } from "../export/report-file.js";
export const exportParams = z.object({ name: z.enum(EXPORT_NAMES) });
/** The format; every other parameter is the report's own (or GET /api/tickets' filters). */
export const exportQuery = z.looseObject({ format: z.enum(EXPORT_FORMATS).default("csv") });

/** The reader's language and the deployment's zone, for a file's headers and values. */
export const exportLocaleOf = (api: ApiDeps, language: string, timeZone: string): ExportLocale => ({
  t: api.i18n.getFixedT(language),
  language,
  timeZone,
});

/** A file sent to a chat is PDF unless asked otherwise (CSV does not read well in Telegram). */
export const sendQuery = z.looseObject({ format: z.enum(EXPORT_FORMATS).default("pdf") });

/**
 * GET /api/reports/export/:name?format=csv|xlsx|pdf: a report, or the ticket list with
 * the queue's filters, as a file (staff only). Every format streams; the ticket list
 * is read by keyset batches (server/http/export/report-file.ts).
 */
export function reportExportRoutes(api: ApiDeps) {
  return (
    new Hono<HttpEnv>()
      .get("/:name", validated("param", exportParams), validated("query", exportQuery), async (c) => {
        const { name } = c.req.valid("param");
        const { format, ...input } = c.req.valid("query");
        const ctx = c.get("svc");
        const file = await renderReportFile({
          ctx,
          locale: exportLocaleOf(api, c.get("language"), ctx.settings.timeZone),
          name,
          format,
          input,
          onError: (e) => api.logger.error({ err: e, name, format }, "report export failed"),
        });
        c.header("Content-Type", file.contentType);
        c.header("Cache-Control", "no-store");
        c.header("Content-Disposition", `attachment; filename="${file.fileName}"`);
        return c.body(file.body);
      })
      /**
       * POST /api/reports/export/:name/send?format=pdf|xlsx|csv&<the export's parameters>,
       * body { chatId? } (admins): the same file, made with the admin's rights and in their
       * language, queued for the chat (the staff chat when none is named) through the
       * outbox. 202: the outbox worker posts it with sendDocument.
       */
      .post(
        "/:name/send",
        validated("param", exportParams),
        validated("query", sendQuery),
        validatedJson(sendReportSchema),
        async (c) => {
          const { name } = c.req.valid("param");
          const { format, ...input } = c.req.valid("query");
          const ctx = c.get("svc");
          const locale = exportLocaleOf(api, c.get("language"), ctx.settings.timeZone);
          const sent = await sendReportToChat({
            ctx,
            input: c.req.valid("json"),
            render: async () => {
              const file = await renderReportFile({
                ctx,
                locale,
                name,
                format,
                input,
                onError: (e) => api.logger.error({ err: e, name, format }, "report file for a chat failed"),
              });
              return { ...file, bytes: await reportFileBytes(file), caption: file.title };
            },
          });
          return c.json(sent, 202);
        },
      )
  );
}
