import { ApiError, currentAccessToken } from "../../api.js";
import { dayFromInput, dayInput } from "../report-data.js";

/** GET /api/audit's entries (server/domain/audit-log/list.ts). */
export interface AuditEntryDto {
  id: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}

export interface AuditPageDto {
  items: AuditEntryDto[];
  nextCursor: string | null;
}

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
export function auditQuery(f: AuditFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.actorId) p.set("actorId", f.actorId);
  if (f.entity) p.set("entity", f.entity);
  if (f.from) p.set("from", dayStart(f.from));
  if (f.to) p.set("to", dayStart(f.to, 1));
  return p;
}

export { dayFromInput, dayInput };

/** Downloads GET /api/audit/export with the filters (the route needs the token, so no plain link). */
export async function downloadAuditCsv(f: AuditFilters): Promise<void> {
  const res = await fetch(`/api/audit/export?${auditQuery(f)}`, {
    headers: { authorization: `Bearer ${currentAccessToken()}` },
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new ApiError(res.status, body.code ?? "INTERNAL", body.message ?? res.statusText);
  }
  const fileName =
    /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "audit.csv";
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A changed value, short enough for a row: JSON, cut at 300 characters (the CSV has it whole). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return "—";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
