export { type AuditEntry, type AuditPage, listAudit } from "./list.js";
export { type ListAuditInput, listAuditSchema } from "./schemas.js";
