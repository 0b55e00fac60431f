import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { auditLog, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";
import { listAuditSchema } from "./schemas.js";

export interface AuditEntry {
  id: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

/**
 * The audit log for admins and owners: filtered by actor, entity, entity id and a
 * time range, newest first. Pages follow (created_at, id), so entries written in
 * the same instant are neither skipped nor repeated across pages; the cursor keeps
 * the database's own microseconds, which a JavaScript Date would round away.
 */
export async function listAudit({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<AuditPage> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "audit.read");
  const f = parseInput(listAuditSchema, input);
  return readAuditPage(ctx, f, f.limit);
}

/** Filters as listAuditSchema parsed them (the page size aside). */
export type AuditFilters = Omit<z.output<typeof listAuditSchema>, "limit">;

/**
 * One page of entries after `f.cursor`, for a caller that already checked the role:
 * listAudit (at most 100) and the CSV export (larger batches) share it.
 */
export async function readAuditPage(ctx: ServiceContext, f: AuditFilters, limit: number): Promise<AuditPage> {
  const where: SQL[] = [];
  if (f.actorId) where.push(eq(auditLog.actorId, f.actorId));
  if (f.entity) where.push(eq(auditLog.entity, f.entity));
  if (f.entityId) where.push(eq(auditLog.entityId, f.entityId));
  if (f.from) where.push(gte(auditLog.createdAt, f.from));
  if (f.to) where.push(lt(auditLog.createdAt, f.to));
  if (f.cursor) {
    const [at, id] = decodeCursor(f.cursor);
    where.push(sql`(${auditLog.createdAt}, ${auditLog.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await ctx.db
    .select({
      id: auditLog.id,
      actorId: auditLog.actorId,
      actorName: users.firstName,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      createdAt: auditLog.createdAt,
      exactAt: sql<string>`${auditLog.createdAt}::text`,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...where))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(({ exactAt: _exact, ...entry }) => entry);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last.exactAt, last.id) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** timestamptz as PostgreSQL prints it ("2026-12-06 05:20:00.123456+00"). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2}){0,2}|Z)$/;

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString("base64url");

/** Only a cursor this verb made gets to the database; anything else is a VALIDATION error, never a 500. */
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      TIMESTAMP.test(value[0]) &&
      typeof value[1] === "string" &&
      UUID.test(value[1])
    )
      return [value[0], value[1]];
  } catch {
    // fall through to the validation error below
  }
  throw new DomainError("VALIDATION", {}, [
    { path: "cursor", code: "invalid_cursor", message: "invalid_cursor" },
  ]);
}
