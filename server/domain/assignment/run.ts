import { and, asc, eq, inArray, isNull, notInArray, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type AssignmentPolicy, type Ticket, tickets, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { applyAssignment } from "../tickets/assign.js";
import { changeEventOf } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { pickAgent } from "./pick.js";
import { autoAssignJobSchema } from "./schemas.js";
import { isUnfinished, policyFor, queueDrain, scopePolicies, UNFINISHED } from "./scope.js";

/** Tickets one drain run assigns before it hands over to a fresh run of itself (other jobs get a turn). */
const DRAIN_RUN = 500;
/** Waiting tickets read per query of a drain (each is then assigned in its own transaction). */
const DRAIN_BATCH = 100;

/**
 * Gives a locked, unassigned, unfinished ticket to the agent its policy picks, as
 * the system: the `assign` event says `auto:<strategy>`, the agent and the staff
 * chat hear of it, an open ticket moves to in progress. Null when nobody has room.
 */
async function assignLocked(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  policy: AssignmentPolicy,
): Promise<Ticket | null> {
  const agentId = await pickAgent(tx, ticket, policy);
  if (!agentId) return null;
  const row = await applyAssignment(tx, ctx, ticket, agentId, `auto:${policy.strategy}`);
  await tx.update(users).set({ lastAssignedAt: ctx.clock.now() }).where(eq(users.id, agentId));
  return row;
}

/** The auto_assign job for one ticket: assigns it if it still waits and its scope assigns. */
async function assignOneTicket(ctx: ServiceContext, ticketId: string): Promise<Ticket | null> {
  const row = await ctx.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
    if (!ticket || ticket.assigneeId !== null || !isUnfinished(ticket.status)) return null;
    const policy = await policyFor(tx, ticket);
    return policy ? assignLocked(tx, ctx, ticket, policy) : null;
  });
  if (row) ctx.notify.changed(changeEventOf("ticket.updated", row));
  return row;
}

/** Which categories of a branch assign: a category's own policy, else the branch default. */
function policyOfCategory(policies: AssignmentPolicy[]) {
  const fallback = policies.find((p) => p.categoryId === null);
  const own = new Map(policies.filter((p) => p.categoryId !== null).map((p) => [p.categoryId, p]));
  return (categoryId: string) => {
    const p = own.get(categoryId) ?? fallback;
    return p && p.strategy !== "off" ? p : null;
  };
}

/**
 * The drain: the branch's oldest waiting tickets, one short transaction each, while
 * anyone has room. A ticket nobody could take closes its category for this run
 * (agents only fill up meanwhile); the run ends when none is left. Returns how many
 * it assigned.
 */
export async function drainBranch(
  ctx: ServiceContext,
  branchId: string | null,
  limit = DRAIN_RUN,
): Promise<number> {
  const policies = await scopePolicies(ctx.db, branchId);
  const policyOf = policyOfCategory(policies);
  const off = policies
    .filter((p) => p.categoryId !== null && p.strategy === "off")
    .map((p) => p.categoryId as string);
  const on = policies
    .filter((p) => p.categoryId !== null && p.strategy !== "off")
    .map((p) => p.categoryId as string);
  const fallback = policies.find((p) => p.categoryId === null);
  const defaultOn = fallback !== undefined && fallback.strategy !== "off";
  if (!defaultOn && on.length === 0) return 0;
  const full = new Set<string>();
  let assigned = 0;
  const waiting = (): SQL | undefined =>
    and(
      branchId === null ? isNull(tickets.branchId) : eq(tickets.branchId, branchId),
      isNull(tickets.assigneeId),
      inArray(tickets.status, [...UNFINISHED]),
      defaultOn
        ? off.length
          ? notInArray(tickets.categoryId, off)
          : undefined
        : inArray(tickets.categoryId, on),
      full.size ? notInArray(tickets.categoryId, [...full]) : undefined,
    );
  while (assigned < limit) {
    const batch = await ctx.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(waiting())
      .orderBy(asc(tickets.createdAt), asc(tickets.id))
      .limit(DRAIN_BATCH);
    if (batch.length === 0) return assigned;
    for (const { id } of batch) {
      const outcome = await ctx.db.transaction(async (tx) => {
        // Someone else (a ticket's own job, a person) may hold or have taken it: skip it.
        const [ticket] = await tx
          .select()
          .from(tickets)
          .where(and(eq(tickets.id, id), waiting()))
          .for("update", { skipLocked: true });
        if (!ticket) return "gone" as const;
        const policy = policyOf(ticket.categoryId);
        if (!policy) return "gone" as const;
        return (await assignLocked(tx, ctx, ticket, policy)) ?? ticket.categoryId;
      });
      if (typeof outcome === "object") {
        assigned++;
        ctx.notify.changed(changeEventOf("ticket.updated", outcome));
        if (assigned >= limit) break;
      } else if (outcome !== "gone") full.add(outcome);
    }
  }
  // More waiting than one run takes: a fresh run continues (after the other due jobs).
  await queueDrain(ctx.db, branchId, ctx.clock.now());
  return assigned;
}

/**
 * The scheduler's `auto_assign` job (as the system). `{ ticketId }`: that ticket, if
 * it still waits for an agent. `{ branchId, drain: true }`: the branch's oldest
 * waiting tickets while anyone has room. Running it twice assigns nothing twice.
 */
export async function runAutoAssign({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<{ assigned: number }> {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "ticket.auto_assign" });
  const data = parseInput(autoAssignJobSchema, input);
  if ("ticketId" in data) return { assigned: (await assignOneTicket(ctx, data.ticketId)) ? 1 : 0 };
  return { assigned: await drainBranch(ctx, data.branchId) };
}
