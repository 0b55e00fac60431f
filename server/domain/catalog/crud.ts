import { asc, eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { isUniqueViolation } from "../db-errors.js";
import { DomainError } from "../errors.js";
import { isAdmin, isStaffReader, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";
import { listCatalogSchema } from "./schemas.js";

type CatalogTable = PgTable & { id: PgColumn; isActive: PgColumn; updatedAt: PgColumn };

interface CatalogSpec<Row> {
  entity: "branch" | "category" | "label";
  table: CatalogTable;
  create: z.ZodType;
  update: z.ZodType<{ id: string }>;
  orderBy: PgColumn[];
  _row?: Row;
}

/**
 * Branches, categories and labels follow one pattern: everyone lists the active
 * ones, admins also see inactive ones and are the only writers, every write is
 * audited, and "delete" is deactivation so history keeps its references.
 */
export function catalogVerbs<Row extends { id: string }>(spec: CatalogSpec<Row>) {
  const { entity, table } = spec;
  // drizzle's generic table API is too loose to type here; rows are typed by Row.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const t = table as any;

  async function list({ ctx, input }: { ctx: ServiceContext; input?: unknown }): Promise<Row[]> {
    const { includeInactive } = parseInput(listCatalogSchema, input ?? {});
    // Staff read old tickets that carry deactivated entries and must see their names;
    // requesters only ever pick, so they get the active ones.
    const all = includeInactive && isStaffReader(ctx.actor);
    return ctx.db
      .select()
      .from(t)
      .where(all ? undefined : eq(table.isActive, true))
      .orderBy(...spec.orderBy.map((c) => asc(c))) as Promise<Row[]>;
  }

  async function create({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<Row> {
    requireRole(ctx.actor, isAdmin(ctx.actor), `${entity}.create`);
    const data = parseInput(spec.create, input) as Record<string, unknown>;
    return uniqueOrConflict(() =>
      ctx.db.transaction(async (tx) => {
        const [row] = (await tx.insert(t).values(data).returning()) as Row[];
        await writeAudit(tx, ctx.actor, { action: `${entity}.create`, entity, entityId: row.id, after: row });
        return row;
      }),
    );
  }

  async function update({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<Row> {
    requireRole(ctx.actor, isAdmin(ctx.actor), `${entity}.update`);
    const { id, ...patch } = parseInput(spec.update, input) as { id: string } & Record<string, unknown>;
    return uniqueOrConflict(() =>
      ctx.db.transaction(async (tx) => {
        const [before] = (await tx.select().from(t).where(eq(table.id, id))) as Row[];
        if (!before) throw new DomainError("NOT_FOUND", { entity, id });
        const [row] = (await tx
          .update(t)
          .set({ ...patch, updatedAt: ctx.clock.now() })
          .where(eq(table.id, id))
          .returning()) as Row[];
        const action = patch.isActive === false ? `${entity}.deactivate` : `${entity}.update`;
        await writeAudit(tx, ctx.actor, { action, entity, entityId: id, before, after: patch });
        return row;
      }),
    );
  }

  const deactivate = ({ ctx, input }: { ctx: ServiceContext; input: { id: string } }) =>
    update({ ctx, input: { id: input.id, isActive: false } });

  return { list, create, update, deactivate };
}

/** A duplicate code or name is the user's CONFLICT, not a crash. */
async function uniqueOrConflict<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError("CONFLICT", { reason: "duplicate" });
    throw e;
  }
}
