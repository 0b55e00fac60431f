import { Hono } from "hono";
import { z } from "zod";
import {
  createScheduledReport,
  createScheduledReportSchema,
  deleteScheduledReport,
  listReportChats,
  listScheduledReports,
  updateScheduledReport,
  updateScheduledReportSchema,
} from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated, validatedJson } from "../middleware/validate.js";

const idParam = z.object({ id: z.uuid() });

/**
 * /api/scheduled-reports (admins and owners): GET /, GET /chats, POST /, PATCH /:id, DELETE /:id.
 * Reports posted to a chat daily, weekly or monthly (docs/REPORTS.md "Scheduled reports").
 */
export function scheduledReportRoutes() {
  return (
    new Hono<HttpEnv>()
      .get("/", async (c) => c.json(await listScheduledReports({ ctx: c.get("svc") })))
      // The chats a report may be sent or scheduled to (the Mini App's chooser).
      .get("/chats", async (c) => c.json(await listReportChats({ ctx: c.get("svc") })))
      .post("/", validatedJson(createScheduledReportSchema), async (c) =>
        c.json(await createScheduledReport({ ctx: c.get("svc"), input: c.req.valid("json") }), 201),
      )
      .patch(
        "/:id",
        validated("param", idParam),
        validatedJson(updateScheduledReportSchema.omit({ id: true })),
        async (c) =>
          c.json(
            await updateScheduledReport({
              ctx: c.get("svc"),
              input: { ...c.req.valid("json"), id: c.req.valid("param").id },
            }),
          ),
      )
      .delete("/:id", validated("param", idParam), async (c) => {
        await deleteScheduledReport({ ctx: c.get("svc"), input: c.req.valid("param") });
        return c.body(null, 204);
      })
  );
}
