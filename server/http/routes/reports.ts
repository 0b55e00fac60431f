import { Hono } from "hono";
import {
  breakdownQuerySchema,
  getAgentsReport,
  getBreakdownReport,
  getCsatReport,
  getQueueSummary,
  getSlaReport,
  getTimingsReport,
  getVolumeReport,
  reportQuerySchema,
} from "../../domain/index.js";
import type { ApiDeps, HttpEnv } from "../env.js";
import { validated } from "../middleware/validate.js";
import { reportExportRoutes } from "./report-exports.js";

/**
 * GET /api/reports/*: staff only, in the actor's scope (docs/REPORTS.md). Every report
 * answers with the last 30 days when called without parameters; /export/:name gives
 * it (or the ticket list) as CSV or XLSX.
 */
export function reportRoutes(api: ApiDeps) {
  const q = validated("query", reportQuerySchema);
  return new Hono<HttpEnv>()
    .get("/summary", async (c) => c.json(await getQueueSummary({ ctx: c.get("svc") })))
    .get("/volume", q, async (c) =>
      c.json(await getVolumeReport({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .get("/timings", q, async (c) =>
      c.json(await getTimingsReport({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .get("/sla", q, async (c) =>
      c.json(await getSlaReport({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .get("/csat", q, async (c) =>
      c.json(await getCsatReport({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .get("/agents", q, async (c) =>
      c.json(await getAgentsReport({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .get("/breakdown", validated("query", breakdownQuerySchema), async (c) =>
      c.json(await getBreakdownReport({ ctx: c.get("svc"), input: c.req.valid("query") })),
    )
    .route("/export", reportExportRoutes(api));
}
