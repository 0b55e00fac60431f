import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Role, type User, users } from "../../../drizzle/schema/index.js";
import type { Actor } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, rankOf } from "../permissions.js";

/** Roles a moderator may hand out: they manage the agents of their scope. */
const MODERATOR_GRANTS: readonly Role[] = ["requester", "agent"];

/**
 * Whether the actor may change this user's account at all. Admins manage everyone
 * not above them; moderators manage requesters and agents of their own scope.
 */
export function canManageUser(actor: Actor, target: Pick<User, "id" | "role" | "branchId">): boolean {
  if (isAdmin(actor)) return rankOf(target.role) <= rankOf(actor.role);
  if (actor.role !== "moderator") return false;
  if (!MODERATOR_GRANTS.includes(target.role)) return false;
  if (actor.branchId === null || target.branchId === actor.branchId) return true;
  // A branchless agent serves every branch: not one branch's moderator's to manage.
  // A branchless requester (a customer) is, so they can be placed in the branch.
  return target.branchId === null && target.role === "requester";
}

export function canGrantRole(actor: Actor, role: Role): boolean {
  if (isAdmin(actor)) return rankOf(role) <= rankOf(actor.role);
  return actor.role === "moderator" && MODERATOR_GRANTS.includes(role);
}

/** Whether the actor may see the user list of this branch (or all, for null). */
export function canListUsers(actor: Actor): boolean {
  return isAdmin(actor) || actor.role === "moderator";
}

export async function loadManagedUser(tx: DbOrTx, actor: Actor, userId: string): Promise<User> {
  const [target] = await tx.select().from(users).where(eq(users.id, userId));
  if (!target) throw new DomainError("NOT_FOUND", { entity: "user", id: userId });
  if (!canManageUser(actor, target)) throw new DomainError("FORBIDDEN", { action: "user.manage" });
  return target;
}

/**
 * The system must always keep one active owner. The active owners' rows are locked
 * until the change commits, so two owners demoting each other at once cannot both
 * pass the count. An owner already switched off does not count either way.
 */
export async function assertNotLastOwner(tx: DbOrTx, target: User): Promise<void> {
  if (target.role !== "owner" || !target.isActive) return;
  const owners = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "owner"), eq(users.isActive, true)))
    .for("update");
  if (owners.length <= 1) throw new DomainError("LAST_OWNER");
}
