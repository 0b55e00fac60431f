import { and, asc, eq, inArray, notInArray, or, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type AssignmentPolicy, type Ticket, tickets, users } from "../../../drizzle/schema/index.js";
import { UNFINISHED } from "./scope.js";

/** Open tickets (open, in progress, waiting for the customer) an agent holds. */
const openCount = sql<number>`(select count(*)::int from ${tickets} where ${tickets.assigneeId} = ${users.id} and ${tickets.status} in ('open', 'in_progress', 'waiting_customer'))`;
const idleFirst = sql`${users.lastAssignedAt} asc nulls first`;

/**
 * Who may get this ticket: agents (moderators supervise and take tickets by hand;
 * they are never picked), active, not away, working the ticket's branch (their own
 * or none), whose skills cover its category (no skills: every category), below
 * their capacity (their own maximum, else the policy's).
 */
function eligible(
  ticket: Pick<Ticket, "branchId" | "categoryId">,
  capacity: SQL,
  skip: string[],
): SQL | undefined {
  return and(
    eq(users.role, "agent"),
    eq(users.isActive, true),
    eq(users.away, false),
    ticket.branchId === null
      ? sql`${users.branchId} is null`
      : or(sql`${users.branchId} is null`, eq(users.branchId, ticket.branchId)),
    sql`(cardinality(${users.skills}) = 0 or ${ticket.categoryId}::uuid = any(${users.skills}))`,
    sql`${openCount} < ${capacity}`,
    skip.length ? notInArray(users.id, skip) : undefined,
  );
}

/**
 * Picks and locks the agent for a ticket (the caller holds the ticket's lock), or
 * null when nobody eligible has room. Least busy: fewest open tickets, ties to the
 * longest idle; round robin: the longest idle. The agent's row is locked for the
 * rest of the transaction, so two assignments never count the same last free slot:
 * the second waits (or, with SKIP LOCKED, tries the next agent), then counts again
 * in a fresh statement, which sees what the first one committed.
 */
export async function pickAgent(
  tx: DbOrTx,
  ticket: Pick<Ticket, "branchId" | "categoryId">,
  policy: Pick<AssignmentPolicy, "strategy" | "capacity">,
): Promise<string | null> {
  const capacity = sql<number>`coalesce(${users.maxOpenTickets}, ${policy.capacity}::int)`;
  const order =
    policy.strategy === "least_busy"
      ? [asc(openCount), idleFirst, asc(users.id)]
      : [idleFirst, asc(users.id)];
  const skip: string[] = [];
  // First whoever is free right now (concurrent assignments spread over agents); when
  // everyone fit is locked, wait for one rather than leave the ticket waiting.
  for (const skipLocked of [true, false]) {
    for (let tries = 0; tries < 20; tries++) {
      const [candidate] = await tx
        .select({ id: users.id, capacity })
        .from(users)
        .where(eligible(ticket, capacity, skip))
        .orderBy(...order)
        .limit(1)
        .for("update", skipLocked ? { of: users, skipLocked: true } : { of: users });
      if (!candidate) break;
      const [{ open }] = await tx
        .select({ open: sql<number>`count(*)::int` })
        .from(tickets)
        .where(and(eq(tickets.assigneeId, candidate.id), inArray(tickets.status, [...UNFINISHED])));
      if (open < candidate.capacity) return candidate.id;
      // Counted before someone else's assignment committed: full after all.
      skip.push(candidate.id);
    }
  }
  return null;
}
