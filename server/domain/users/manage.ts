import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { categories, type User, users } from "../../../drizzle/schema/index.js";
import { setCapacitySchema } from "../assignment/schemas.js";
import { queueDrainsForAgent } from "../assignment/scope.js";
import { writeAudit } from "../audit.js";
import { requireActiveBranch } from "../catalog/active-branch.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validate.js";
import { assertNotLastOwner, canGrantRole, loadManagedUser } from "./policy.js";
import { setActiveSchema, setBranchSchema, setRoleSchema, setSkillsSchema } from "./schemas.js";

/**
 * Shared shape of every account change: load the target under the manage rule,
 * let the verb check and compute the patch, write it and the audit row together.
 */
async function changeUser(
  ctx: ServiceContext,
  userId: string,
  action: string,
  patchOf: (tx: DbOrTx, target: User) => Promise<Partial<User>>,
): Promise<User> {
  return ctx.db.transaction(async (tx) => {
    const target = await loadManagedUser(tx, ctx.actor, userId);
    const patch = await patchOf(tx, target);
    const [row] = await tx
      .update(users)
      .set({ ...patch, updatedAt: ctx.clock.now() })
      .where(eq(users.id, userId))
      .returning();
    const before = Object.fromEntries(Object.keys(patch).map((k) => [k, target[k as keyof User]]));
    await writeAudit(tx, ctx.actor, { action, entity: "user", entityId: userId, before, after: patch });
    return row;
  });
}

/** Changes a role. Nobody grants above their own role; the last owner stays owner. */
export async function setUserRole({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  const data = parseInput(setRoleSchema, input);
  if (!canGrantRole(ctx.actor, data.role)) throw new DomainError("FORBIDDEN", { action: "user.grant_role" });
  return changeUser(ctx, data.userId, "user.set_role", async (tx, target) => {
    if (target.role !== data.role && data.role !== "owner") await assertNotLastOwner(tx, target);
    // A moderator's new agent joins the moderator's branch, so it stays in their scope.
    const branchId =
      ctx.actor.role === "moderator" && ctx.actor.branchId ? ctx.actor.branchId : target.branchId;
    return { role: data.role, branchId };
  });
}

/** Moves a user to a branch (or none). Moderators only within their own branch. */
export async function setUserBranch({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  const data = parseInput(setBranchSchema, input);
  if (ctx.actor.role === "moderator" && ctx.actor.branchId !== null && data.branchId !== ctx.actor.branchId) {
    throw new DomainError("FORBIDDEN", { action: "user.set_branch" });
  }
  return changeUser(ctx, data.userId, "user.set_branch", async (tx) => {
    if (data.branchId) await requireActiveBranch(tx, data.branchId);
    return { branchId: data.branchId };
  });
}

/** Activates or deactivates an account; the last owner cannot be switched off. */
export async function setUserActive({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  const data = parseInput(setActiveSchema, input);
  if (data.userId === ctx.actor.id && !data.active)
    throw new DomainError("FORBIDDEN", { action: "user.deactivate_self" });
  return changeUser(
    ctx,
    data.userId,
    data.active ? "user.activate" : "user.deactivate",
    async (tx, target) => {
      if (!data.active) await assertNotLastOwner(tx, target);
      return { isActive: data.active };
    },
  );
}

/** Sets the categories a staff member handles (skill-based assignment). */
export async function setUserSkills({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  const data = parseInput(setSkillsSchema, input);
  const ids = [...new Set(data.categoryIds)];
  return changeUser(ctx, data.userId, "user.set_skills", async (tx) => {
    if (ids.length) {
      const found = await tx
        .select({ id: categories.id })
        .from(categories)
        .where(and(inArray(categories.id, ids)));
      if (found.length !== ids.length) {
        throw new DomainError("VALIDATION", {}, [
          { path: "categoryIds", code: "unknown_category", message: "unknown_category" },
        ]);
      }
    }
    return { skills: ids };
  });
}

/**
 * Sets the most open tickets auto-assignment gives a staff member (null: the
 * policy's capacity). More room gives the tickets waiting in their scope a turn.
 */
export async function setUserCapacity({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<User> {
  const data = parseInput(setCapacitySchema, input);
  return changeUser(ctx, data.userId, "user.set_capacity", async (tx, target) => {
    await queueDrainsForAgent(tx, target, ctx.clock.now());
    return { maxOpenTickets: data.maxOpenTickets };
  });
}
