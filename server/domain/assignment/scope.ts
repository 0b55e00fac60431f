import { and, asc, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  type AssignmentPolicy,
  assignmentPolicies,
  type Ticket,
  users,
} from "../../../drizzle/schema/index.js";
import { scheduleJob } from "../schedule/jobs.js";

/** Statuses in which a ticket counts towards its assignee's load and may be auto-assigned. */
export const UNFINISHED = ["open", "in_progress", "waiting_customer"] as const;
export const isUnfinished = (s: Ticket["status"]) => (UNFINISHED as readonly string[]).includes(s);

export const ticketJobKey = (ticketId: string) => `auto_assign:ticket:${ticketId}`;
export const drainJobKey = (branchId: string | null) => `auto_assign:drain:${branchId ?? "none"}`;

const branchIs = (branchId: string | null) =>
  branchId === null ? isNull(assignmentPolicies.branchId) : eq(assignmentPolicies.branchId, branchId);

/** Every policy of a branch (null: of tickets without a branch): its default row and its categories' rows. */
export async function scopePolicies(tx: DbOrTx, branchId: string | null): Promise<AssignmentPolicy[]> {
  return tx
    .select()
    .from(assignmentPolicies)
    .where(branchIs(branchId))
    .orderBy(sql`${assignmentPolicies.categoryId} nulls last`);
}

/** The policy a ticket falls under: its branch's row for its category, else its branch's default; none is off. */
export async function policyFor(
  tx: DbOrTx,
  ticket: Pick<Ticket, "branchId" | "categoryId">,
): Promise<AssignmentPolicy | null> {
  const [row] = await tx
    .select()
    .from(assignmentPolicies)
    .where(
      and(
        branchIs(ticket.branchId),
        or(eq(assignmentPolicies.categoryId, ticket.categoryId), isNull(assignmentPolicies.categoryId)),
      ),
    )
    .orderBy(sql`${assignmentPolicies.categoryId} nulls last`)
    .limit(1);
  return row && row.strategy !== "off" ? row : null;
}

/** Asks the scheduler to find an agent for a new (or reopened, unassigned) ticket when its scope assigns. */
export async function queueTicketAssignment(tx: DbOrTx, ticket: Ticket, now: Date): Promise<void> {
  if (ticket.assigneeId !== null || !isUnfinished(ticket.status)) return;
  if (!(await policyFor(tx, ticket))) return;
  await scheduleJob(tx, {
    kind: "auto_assign",
    key: ticketJobKey(ticket.id),
    runAt: now,
    payload: { ticketId: ticket.id },
  });
}

/**
 * Someone of this branch has room again (a ticket of theirs finished or let go, back
 * from away, more capacity, a policy changed): the oldest waiting tickets get a turn.
 * One drain job per branch, whatever the number of reasons.
 */
export async function queueDrain(tx: DbOrTx, branchId: string | null, now: Date): Promise<void> {
  const [on] = await tx
    .select({ id: assignmentPolicies.id })
    .from(assignmentPolicies)
    .where(and(branchIs(branchId), ne(assignmentPolicies.strategy, "off")))
    .limit(1);
  if (!on) return;
  await scheduleJob(tx, {
    kind: "auto_assign",
    key: drainJobKey(branchId),
    runAt: now,
    payload: { branchId, drain: true },
  });
}

/** An agent has room: drains every scope they work (a branchless agent works all of them). */
export async function queueDrainsForAgent(
  tx: DbOrTx,
  agent: { branchId: string | null },
  now: Date,
): Promise<void> {
  if (agent.branchId !== null) return queueDrain(tx, agent.branchId, now);
  const scopes = await tx
    .selectDistinct({ branchId: assignmentPolicies.branchId })
    .from(assignmentPolicies)
    .where(ne(assignmentPolicies.strategy, "off"))
    .orderBy(asc(assignmentPolicies.branchId));
  for (const s of scopes) await queueDrain(tx, s.branchId, now);
}

/** The agent who let go of a ticket (or finished it) has room: drains what they work. */
export async function queueDrainsForAgentId(tx: DbOrTx, userId: string, now: Date): Promise<void> {
  const [agent] = await tx.select({ branchId: users.branchId }).from(users).where(eq(users.id, userId));
  if (agent) await queueDrainsForAgent(tx, agent, now);
}

/**
 * Keeps auto-assignment in step with a status change, in its transaction: an
 * assigned ticket finishing frees its agent (drain); an unassigned one coming back
 * (reopened) waits for an agent like a new one.
 */
export async function followAssignment(
  tx: DbOrTx,
  from: Ticket["status"],
  ticket: Ticket,
  now: Date,
): Promise<void> {
  const was = isUnfinished(from);
  const is = isUnfinished(ticket.status);
  if (was === is) return;
  if (ticket.assigneeId !== null && was) return queueDrainsForAgentId(tx, ticket.assigneeId, now);
  if (ticket.assigneeId === null && is) return queueTicketAssignment(tx, ticket, now);
}
