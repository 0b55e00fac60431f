import { and, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import { type Role, tickets, users } from "../../drizzle/schema/index.js";
import type { Actor } from "./context.js";
import { DomainError } from "./errors.js";

/**
 * Role ranks for "nobody raises anyone above their own role". Auditor ranks with
 * agents: read-only, but not more powerful than a requester is weak.
 */
const RANK: Record<Role | "system", number> = {
  requester: 0,
  agent: 1,
  auditor: 1,
  moderator: 2,
  admin: 3,
  owner: 4,
  system: 5,
};

export const rankOf = (role: Role | "system") => RANK[role];

/** Staff who work tickets (answer, note, change status). */
export const WORKING_ROLES: readonly Role[] = ["agent", "moderator", "admin", "owner"];
/** Staff who may read tickets of their scope (workers plus auditors). */
export const READING_ROLES: readonly Role[] = [...WORKING_ROLES, "auditor"];

export const isSystem = (a: Actor) => a.role === "system";
export const isAdmin = (a: Actor) => a.role === "admin" || a.role === "owner" || isSystem(a);
export const isWorker = (a: Actor) => isSystem(a) || (WORKING_ROLES as readonly string[]).includes(a.role);
export const isStaffReader = (a: Actor) =>
  isSystem(a) || (READING_ROLES as readonly string[]).includes(a.role);
export const canAssignOthers = (a: Actor) => isAdmin(a) || a.role === "moderator";
export const canSeeInternal = isStaffReader;

/** A staff member bound to a branch sees only that branch; admins and branchless staff see all. */
export function staffCoversBranch(a: Actor, branchId: string | null): boolean {
  if (isAdmin(a)) return true;
  if (a.branchId === null) return true;
  return a.branchId === branchId;
}

/**
 * SQL twin of isWorker + staffCoversBranch over the users table: the active staff
 * who work tickets of this branch (its own, the branchless, admins everywhere).
 */
export function activeStaffCovering(branchId: string | null): SQL | undefined {
  return and(
    eq(users.isActive, true),
    inArray(users.role, [...WORKING_ROLES]),
    or(
      inArray(users.role, ["admin", "owner"]),
      isNull(users.branchId),
      branchId ? eq(users.branchId, branchId) : undefined,
    ),
  );
}

export interface TicketScopeFacts {
  requesterId: string;
  branchId: string | null;
}

/** Whether the actor may see this ticket at all (requester: own; staff: scope). */
export function canSeeTicket(a: Actor, t: TicketScopeFacts): boolean {
  if (isStaffReader(a) && staffCoversBranch(a, t.branchId)) return true;
  return a.id !== null && t.requesterId === a.id;
}

/** Whether the actor works this ticket as staff (not as its requester). */
export function worksTicket(a: Actor, t: TicketScopeFacts): boolean {
  return isWorker(a) && staffCoversBranch(a, t.branchId);
}

export function isRequesterOf(a: Actor, t: TicketScopeFacts): boolean {
  return a.id !== null && a.id === t.requesterId;
}

/** SQL filter equivalent of canSeeTicket, so lists never leak out of scope. */
export function ticketScopeFilter(a: Actor): SQL | undefined {
  if (isAdmin(a) || (isStaffReader(a) && a.branchId === null)) return undefined;
  if (a.id === null) throw new DomainError("UNAUTHENTICATED");
  if (isStaffReader(a) && a.branchId !== null) {
    return or(eq(tickets.branchId, a.branchId), eq(tickets.requesterId, a.id));
  }
  return eq(tickets.requesterId, a.id);
}

export function requireRole(a: Actor, ok: boolean, action: string): void {
  if (!ok) throw new DomainError("FORBIDDEN", { action, role: a.role });
}
