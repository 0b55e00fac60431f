import type { AuditEntry } from "../../domain/index.js";
import { csvField, csvText, type ExportLocale } from "./cells.js";

/** The audit export's columns, in order; headers are `miniapp:audit.columns.<key>`. */
const COLUMNS = ["createdAt", "actor", "action", "entity", "entityId", "before", "after"] as const;

export const auditCsvHeader = (l: ExportLocale) =>
  `${COLUMNS.map((key) => csvField(l.t(`miniapp:audit.columns.${key}`, { defaultValue: key }))).join(",")}\r\n`;

/**
 * One entry as a CSV line: the instant as local wall time, the actor's name (and id,
 * as names repeat), before and after as compact JSON, every text defused against
 * formulas like the other exports.
 */
export function auditCsvLine(l: ExportLocale, e: AuditEntry): string {
  const json = (v: unknown) => (v === null || v === undefined ? "" : csvField(JSON.stringify(v)));
  const actor = e.actorId ? `${e.actorName ?? ""} (${e.actorId})` : "";
  return `${[
    csvText("instant", e.createdAt, l),
    csvField(actor),
    csvField(e.action),
    csvField(e.entity),
    csvField(e.entityId ?? ""),
    json(e.before),
    json(e.after),
  ].join(",")}\r\n`;
}
