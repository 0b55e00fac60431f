import { and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { type CannedReply, type CannedScope, cannedReplies } from "../../../drizzle/schema/index.js";
import type { Actor } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, isWorker, requireRole, staffCoversBranch } from "../permissions.js";
import { foldedContains } from "../search.js";

/**
 * Who may use and manage canned replies. Staff who answer tickets use them:
 * their own personal ones, their branch's (and the ticket's branch's, when the
 * picker is opened on a ticket they cover) and the global ones. Managing: an agent
 * their personal ones, a moderator also their branch's, admins global and any.
 * Auditors and requesters neither use nor manage them.
 */
export function requireCannedUser(actor: Actor, action: string): void {
  requireRole(actor, isWorker(actor), action);
}

/** SQL: the replies the actor may use, with `ticketBranchId` the branch of the ticket at hand. */
export function usableFilter(actor: Actor, ticketBranchId: string | null = null): SQL | undefined {
  if (actor.role === "system") return undefined;
  const branchIds = [actor.branchId, ticketBranchId].filter((b): b is string => b !== null);
  return or(
    eq(cannedReplies.scope, "global"),
    actor.id ? and(eq(cannedReplies.scope, "personal"), eq(cannedReplies.ownerId, actor.id)) : undefined,
    branchIds.length
      ? and(eq(cannedReplies.scope, "branch"), inArray(cannedReplies.branchId, branchIds))
      : undefined,
  );
}

/** The same rule in code, for one reply and the ticket it is about to be sent on. */
export function mayUse(actor: Actor, reply: CannedReply, ticketBranchId: string | null): boolean {
  if (actor.role === "system" || reply.scope === "global") return true;
  if (reply.scope === "personal") return reply.ownerId === actor.id;
  return reply.branchId !== null && (reply.branchId === actor.branchId || reply.branchId === ticketBranchId);
}

/** Whether the actor may create, change or delete a reply of this scope (and branch, and owner). */
export function mayManage(
  actor: Actor,
  target: { scope: CannedScope; branchId: string | null; ownerId: string | null },
): boolean {
  if (!isWorker(actor)) return false;
  if (isAdmin(actor)) return true;
  if (target.scope === "personal") return target.ownerId === actor.id;
  if (target.scope === "branch")
    return (
      actor.role === "moderator" && target.branchId !== null && staffCoversBranch(actor, target.branchId)
    );
  return false;
}

export function requireManage(
  actor: Actor,
  target: { scope: CannedScope; branchId: string | null; ownerId: string | null },
  action: string,
): void {
  if (!mayManage(actor, target)) throw new DomainError("FORBIDDEN", { action, scope: target.scope });
}

/** SQL: the title or any language's text contains `q` (any case, any keyboard: search.ts folds both). */
export function cannedMatches(q: string): SQL {
  return foldedContains(
    sql`${cannedReplies.title} || ' ' || coalesce(${cannedReplies.bodies}->>'fa', '') || ' ' || coalesce(${cannedReplies.bodies}->>'en', '') || ' ' || coalesce(${cannedReplies.bodies}->>'ru', '')`,
    q,
  );
}
