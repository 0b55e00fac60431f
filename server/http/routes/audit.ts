import { Hono } from "hono";
import { stream } from "hono/streaming";
import {
  auditExportSchema,
  listAudit,
  listAuditEntities,
  listAuditSchema,
  localDayString,
  walkAuditForExport,
} from "../../domain/index.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { auditCsvHeader, auditCsvLine } from "../export/audit-csv.js";
import type { ExportLocale } from "../export/cells.js";
import { BOM } from "../export/csv.js";
import { validated } from "../middleware/validate.js";

/**
 * GET /api/audit: the admin audit log; /entities: the kinds it holds; /export: the
 * same filters as CSV, streamed a batch at a time (admins and owners; the verbs refuse
 * anyone else).
 */
export function auditRoutes(api: ApiDeps) {
  return new Hono<HttpEnv>()
    .get("/", validated("query", listAuditSchema), async (c) =>
      c.json(await listAudit({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .get("/entities", async (c) => c.json(await listAuditEntities({ ctx: c.get("svc") })))
    .get("/export", validated("query", auditExportSchema), async (c) => {
      const ctx = c.get("svc");
      const locale: ExportLocale = {
        t: api.i18n.getFixedT(c.get("language")),
        language: c.get("language"),
        timeZone: ctx.settings.timeZone,
      };
      // The first batch is read before answering, so a refusal is still a 403, not a cut download.
      const batches = walkAuditForExport({ ctx, input: c.req.valid("query") });
      const first = await batches.next();
      const day = localDayString(ctx.clock.now(), locale.timeZone);
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", `attachment; filename="audit-${day}.csv"`);
      c.header("Cache-Control", "no-store");
      return stream(
        c,
        async (s) => {
          await s.write(BOM + auditCsvHeader(locale));
          if (first.done) return;
          await s.write(first.value.map((e) => auditCsvLine(locale, e)).join(""));
          for await (const entries of batches)
            await s.write(entries.map((e) => auditCsvLine(locale, e)).join(""));
        },
        async (e) => api.logger.error({ err: e }, "audit export failed"),
      );
    });
}
