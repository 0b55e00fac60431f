import { z } from "zod";

/** GET /api/audit: who did what to which entity, newest first, a page at a time. */
export const listAuditSchema = z.object({
  actorId: z.uuid().optional(),
  /** "user", "branch", "category", "label", "setting"… as writeAudit records it. */
  entity: z.string().trim().min(1).max(50).optional(),
  entityId: z.string().trim().min(1).max(100).optional(),
  /** Entries at or after this moment. */
  from: z.coerce.date().optional(),
  /** Entries before this moment. */
  to: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(300).optional(),
});
export type ListAuditInput = z.input<typeof listAuditSchema>;

/** The CSV export: the list's filters, without a page size (it reads everything, in batches). */
export const auditExportSchema = listAuditSchema.omit({ limit: true });
