import { downloadFile } from "../../remote/report-queries.js";
import type { Session } from "../../remote/session.js";
import { dayFromInput, dayInput } from "../report-data.js";

/** The screen's filters ("" = any); days are local YYYY-MM-DD, both included. */
export interface AuditFilters {
  actorId: string;
  entity: string;
  from: string;
  to: string;
}
export const NO_AUDIT_FILTERS: AuditFilters = { actorId: "", entity: "", from: "", to: "" };

/** Midnight of a local day on this device, as the instant the API takes. */
const dayStart = (day: string, plusDays = 0) => {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
};

/** The filters as GET /api/audit's query: a "to" day includes the whole day (before the next midnight). */
export function auditQuery(f: AuditFilters): Record<string, string> {
  const p: Record<string, string> = {};
  if (f.actorId) p.actorId = f.actorId;
  if (f.entity) p.entity = f.entity;
  if (f.from) p.from = dayStart(f.from);
  if (f.to) p.to = dayStart(f.to, 1);
  return p;
}

export { dayFromInput, dayInput };

/** Downloads GET /api/audit/export with the filters, in the session's name (a plain link carries no token). */
export const downloadAuditCsv = (session: Session, f: AuditFilters): Promise<void> =>
  downloadFile(session, `/api/audit/export?${new URLSearchParams(auditQuery(f))}`, "audit.csv");

/** A changed value, short enough for a row: JSON, cut at 300 characters (the CSV has it whole). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return "—";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
