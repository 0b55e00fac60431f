import { asc, eq, sql } from "drizzle-orm";
import { type SlaPolicy, slaPolicies } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, isStaffReader, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";
import { scheduleSlaRecalc } from "./recalc-request.js";
import { requireKnownRefs, uniqueOr } from "./refs.js";
import {
  createSlaPolicySchema,
  deleteSlaEntitySchema,
  policyIssues,
  updateSlaPolicySchema,
} from "./schemas.js";

const ENTITY = "sla_policy";
const PRIORITY_ORDER = sql`array_position(array['critical','high','normal','low']::text[], ${slaPolicies.priority}::text)`;

/** Every SLA policy, active or not, most urgent priority first (any staff member may read them). */
export async function listSlaPolicies({
  ctx,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<SlaPolicy[]> {
  requireRole(ctx.actor, isStaffReader(ctx.actor), "sla_policy.read");
  return ctx.db
    .select()
    .from(slaPolicies)
    .orderBy(PRIORITY_ORDER, asc(slaPolicies.categoryId), asc(slaPolicies.branchId), asc(slaPolicies.name));
}

/**
 * Adds a policy (admins and owners): one per priority, category and branch.
 * Audited, and open tickets' due times are recomputed in the same transaction.
 */
export async function createSlaPolicy({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<SlaPolicy> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "sla_policy.create");
  const data = parseInput(createSlaPolicySchema, input);
  return uniqueOr("sla_policy_exists", () =>
    ctx.db.transaction(async (tx) => {
      await requireKnownRefs(tx, data);
      const now = ctx.clock.now();
      const [row] = await tx
        .insert(slaPolicies)
        .values({ ...data, createdAt: now, updatedAt: now })
        .returning();
      await writeAudit(tx, ctx.actor, {
        action: "sla_policy.create",
        entity: ENTITY,
        entityId: row.id,
        after: row,
      });
      await scheduleSlaRecalc(tx, now);
      return row;
    }),
  );
}

/** Changes a policy (admins and owners); the rules across fields are checked on the result. */
export async function updateSlaPolicy({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<SlaPolicy> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "sla_policy.update");
  const { id, ...patch } = parseInput(updateSlaPolicySchema, input);
  return uniqueOr("sla_policy_exists", () =>
    ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, id)).for("update");
      if (!before) throw new DomainError("NOT_FOUND", { entity: ENTITY, id });
      const issues = policyIssues({ ...before, ...patch });
      if (issues.length) throw new DomainError("VALIDATION", {}, issues);
      await requireKnownRefs(tx, patch);
      const now = ctx.clock.now();
      const [row] = await tx
        .update(slaPolicies)
        .set({ ...patch, updatedAt: now })
        .where(eq(slaPolicies.id, id))
        .returning();
      await writeAudit(tx, ctx.actor, {
        action: "sla_policy.update",
        entity: ENTITY,
        entityId: id,
        before,
        after: row,
      });
      await scheduleSlaRecalc(tx, now);
      return row;
    }),
  );
}

/**
 * Removes a policy (admins and owners). Tickets it governed fall back to the next
 * most specific one when their due times are recomputed.
 */
export async function deleteSlaPolicy({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<void> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "sla_policy.delete");
  const { id } = parseInput(deleteSlaEntitySchema, input);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.delete(slaPolicies).where(eq(slaPolicies.id, id)).returning();
    if (!before) throw new DomainError("NOT_FOUND", { entity: ENTITY, id });
    await writeAudit(tx, ctx.actor, { action: "sla_policy.delete", entity: ENTITY, entityId: id, before });
    await scheduleSlaRecalc(tx, ctx.clock.now());
  });
}
