import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { type AssignmentPolicy, assignmentPolicies } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, isStaffReader, requireRole } from "../permissions.js";
import { requireKnownRefs } from "../sla/refs.js";
import { parseInput } from "../validate.js";
import { deleteAssignmentPolicySchema, setAssignmentPolicySchema } from "./schemas.js";
import { queueDrain } from "./scope.js";

const ENTITY = "assignment_policy";

/** Every assignment policy, by branch (tickets without a branch first) then category (the default first). */
export async function listAssignmentPolicies({
  ctx,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<AssignmentPolicy[]> {
  requireRole(ctx.actor, isStaffReader(ctx.actor), "assignment_policy.read");
  return ctx.db
    .select()
    .from(assignmentPolicies)
    .orderBy(
      sql`${assignmentPolicies.branchId} nulls first`,
      sql`${assignmentPolicies.categoryId} nulls first`,
      asc(assignmentPolicies.id),
    );
}

/**
 * Sets the policy of one scope (admins and owners): creates it, or replaces the
 * strategy and capacity of the one there. Audited; waiting tickets of the branch
 * get a drain, since the change may let agents take more (or some at all).
 */
export async function setAssignmentPolicy({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<AssignmentPolicy> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "assignment_policy.set");
  const data = parseInput(setAssignmentPolicySchema, input);
  return ctx.db.transaction(async (tx) => {
    await requireKnownRefs(tx, data);
    const now = ctx.clock.now();
    const scope = and(
      data.branchId === null
        ? isNull(assignmentPolicies.branchId)
        : eq(assignmentPolicies.branchId, data.branchId),
      data.categoryId === null
        ? isNull(assignmentPolicies.categoryId)
        : eq(assignmentPolicies.categoryId, data.categoryId),
    );
    const [before] = await tx.select().from(assignmentPolicies).where(scope).for("update");
    // The scope's unique key (nulls not distinct) makes two admins' first PUTs one row.
    const [row] = await tx
      .insert(assignmentPolicies)
      .values({ ...data, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [assignmentPolicies.branchId, assignmentPolicies.categoryId],
        set: { strategy: data.strategy, capacity: data.capacity, updatedAt: now },
      })
      .returning();
    await writeAudit(tx, ctx.actor, {
      action: before ? "assignment_policy.update" : "assignment_policy.create",
      entity: ENTITY,
      entityId: row.id,
      before: before ?? null,
      after: row,
    });
    await queueDrain(tx, row.branchId, now);
    return row;
  });
}

/** Removes a policy (admins and owners): its scope falls back to the branch default, or off. */
export async function deleteAssignmentPolicy({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<void> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "assignment_policy.delete");
  const { id } = parseInput(deleteAssignmentPolicySchema, input);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.delete(assignmentPolicies).where(eq(assignmentPolicies.id, id)).returning();
    if (!before) throw new DomainError("NOT_FOUND", { entity: ENTITY, id });
    await writeAudit(tx, ctx.actor, {
      action: "assignment_policy.delete",
      entity: ENTITY,
      entityId: id,
      before,
    });
    await queueDrain(tx, before.branchId, ctx.clock.now());
  });
}
