import type { z } from "zod";
import { auditExportSchema } from "../../domain/index.js";

/**
 * The audit log's and dashboard's routes added with the audit screen, kept in their own
 * list (openapi.ts spreads it in) so branches adding routes do not edit the same lines.
 */
export const AUDIT_OPENAPI_ROUTES: { method: "get"; path: string; summary: string; query?: z.ZodType }[] = [
  {
    method: "get",
    path: "/api/audit/entities",
    summary: "The entity kinds the audit log holds (user, branch, setting…), for a filter (admins, owners)",
  },
  {
    method: "get",
    path: "/api/audit/export",
    summary:
      "The audit log with GET /api/audit's filters as CSV (text/csv, UTF-8 with BOM), newest first, streamed in batches (admins, owners)",
    query: auditExportSchema,
  },
];
