import { Hono } from "hono";
import { listAudit, listAuditSchema } from "../../domain/index.js";
import type { HttpEnv } from "../env.js";
import { validated } from "../middleware/validate.js";

/** GET /api/audit: the admin audit log (admins and owners; the verb refuses anyone else). */
export function auditRoutes() {
  return new Hono<HttpEnv>().get("/", validated("query", listAuditSchema), async (c) =>
    c.json(await listAudit({ ctx: c.get("svc"), input: c.req.valid("query") })),
  );
}
