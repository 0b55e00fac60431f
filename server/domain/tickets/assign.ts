import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Ticket, tickets, users } from "../../../drizzle/schema/index.js";
import { isUnfinished, queueDrainsForAgentId } from "../assignment/scope.js";
import { queueAutomation } from "../automation/queue.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { canAssignOthers, isWorker, staffCoversBranch, worksTicket } from "../permissions.js";
import { parseInput } from "../validate.js";
import { applyStatus } from "./change-status.js";
import { assignSchema } from "./schemas.js";
import { changeEventOf, writeEvent } from "./shared.js";
import { loadTicketForChange, requireVersion } from "./version.js";

/**
 * Sets or clears the assignee. Agents may take an unassigned ticket or let go of
 * their own; moderators and admins assign anyone who works the ticket's scope.
 * Taking an open ticket starts work on it (open → in_progress).
 */
export async function assignTicket({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<Ticket> {
  const data = parseInput(assignSchema, input);
  const actor = ctx.actor;
  const updated = await ctx.db.transaction(async (tx) => {
    const ticket = await loadTicketForChange(tx, ctx, data.ticketId, data.ifMatch);
    if (!worksTicket(actor, ticket)) throw new DomainError("FORBIDDEN", { action: "ticket.assign" });
    requireVersion(ticket, data.ifMatch);
    if (ticket.assigneeId === data.assigneeId) {
      throw new DomainError("CONFLICT", {
        reason: data.assigneeId ? "already_assigned" : "already_unassigned",
      });
    }
    if (data.ifUnassigned && ticket.assigneeId !== null)
      throw new DomainError("CONFLICT", { reason: "already_assigned" });
    const selfTake = data.assigneeId !== null && data.assigneeId === actor.id;
    const selfRelease = data.assigneeId === null && ticket.assigneeId === actor.id;
    if (!canAssignOthers(actor)) {
      if (selfTake && ticket.assigneeId !== null)
        throw new DomainError("CONFLICT", { reason: "already_assigned" });
      if (!selfTake && !selfRelease) throw new DomainError("FORBIDDEN", { action: "ticket.assign_other" });
    }
    return applyAssignment(tx, ctx, ticket, data.assigneeId);
  });
  ctx.notify.changed(changeEventOf("ticket.updated", updated));
  return updated;
}

/**
 * assignTicket's writes, in the caller's transaction, once the actor may make this
 * assignment; automation rules, SLA escalation and auto-assignment make theirs here
 * too. The assignee must work the ticket's scope; the change only applies if nobody
 * changed the assignee since we read it (two agents taking the same ticket at once
 * get one winner and one CONFLICT); it writes the `assign` event (`comment` says
 * why, e.g. `auto:least_busy`), the 'assigned' notices and the rules' turn; taking
 * an open ticket starts work on it; an agent who let go of one has room for a
 * waiting one (auto-assignment's drain).
 */
export async function applyAssignment(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  assigneeId: string | null,
  comment?: string,
): Promise<Ticket> {
  if (assigneeId !== null) {
    const [assignee] = await tx.select().from(users).where(eq(users.id, assigneeId));
    const fit = assignee?.isActive && isWorker(assignee) && staffCoversBranch(assignee, ticket.branchId);
    if (!fit)
      throw new DomainError("VALIDATION", {}, [
        { path: "assigneeId", code: "not_eligible", message: "not_eligible" },
      ]);
  }
  const now = ctx.clock.now();
  const [row] = await tx
    .update(tickets)
    .set({ assigneeId, updatedAt: now })
    .where(
      and(
        eq(tickets.id, ticket.id),
        ticket.assigneeId === null ? isNull(tickets.assigneeId) : eq(tickets.assigneeId, ticket.assigneeId),
      ),
    )
    .returning();
  if (!row) throw new DomainError("CONFLICT", { reason: "assignee_changed_meanwhile" });
  const eventId = await writeEvent(tx, ctx, ticket.id, "assign", {
    from: ticket.assigneeId,
    to: assigneeId,
    comment,
  });
  await recordTicketNotifications(tx, ctx, row, eventId, {
    kind: "assigned",
    assigneeId,
    previousAssigneeId: ticket.assigneeId,
  });
  await queueAutomation(tx, ctx, { ticketId: ticket.id, event: "ticket_updated" });
  if (ticket.assigneeId !== null && isUnfinished(row.status))
    await queueDrainsForAgentId(tx, ticket.assigneeId, now);
  if (row.status === "open" && assigneeId !== null) return applyStatus(tx, ctx, row, "in_progress");
  return row;
}
