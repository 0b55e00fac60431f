import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { rowsOf } from "../delivery/budget.js";
import { isAdmin, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";
import { type AuditEntry, readAuditPage } from "./list.js";
import { auditExportSchema } from "./schemas.js";

/** How many entries an export reads at a time: each batch is written out before the next is read. */
export const AUDIT_EXPORT_BATCH = 1_000;

/**
 * Every audit entry the filters match, newest first, in batches (admins and owners).
 * It follows the list's own cursor, so an export of a large log never holds more than
 * one batch; the role is checked and the input parsed before the first batch is read,
 * so the door can still answer a refusal with its status.
 */
export async function* walkAuditForExport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): AsyncGenerator<AuditEntry[]> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "audit.export");
  const f = parseInput(auditExportSchema, input);
  let cursor = f.cursor;
  do {
    const page = await readAuditPage(ctx, { ...f, cursor }, AUDIT_EXPORT_BATCH);
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The entity kinds the log holds ("user", "branch", "setting"…), for the screen's filter. */
export async function listAuditEntities({
  ctx,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<string[]> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "audit.read");
  // A loose index scan over audit_log_entity_idx: one probe per kind, not a pass over the log.
  const rows = await ctx.db.execute(sql`
    with recursive kinds as (
      (select entity from audit_log order by entity limit 1)
      union all
      select (select a.entity from audit_log a where a.entity > kinds.entity order by a.entity limit 1)
      from kinds where kinds.entity is not null
    )
    select entity from kinds where entity is not null`);
  return rowsOf<{ entity: string }>(rows).map((r) => r.entity);
}
