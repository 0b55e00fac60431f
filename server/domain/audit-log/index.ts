export { AUDIT_EXPORT_BATCH, listAuditEntities, walkAuditForExport } from "./export.js";
export { type AuditEntry, type AuditPage, listAudit } from "./list.js";
export { auditExportSchema, type ListAuditInput, listAuditSchema } from "./schemas.js";
