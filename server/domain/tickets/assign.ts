import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Ticket, tickets, users } from "../../../drizzle/schema/index.js";
import { isUnfinished, queueDrainsForAgentId } from "../assignment/scope.js";
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
    if (data.assigneeId !== null) {
      const [assignee] = await tx.select().from(users).where(eq(users.id, data.assigneeId));
      const fit = assignee?.isActive && isWorker(assignee) && staffCoversBranch(assignee, ticket.branchId);
      if (!fit)
        throw new DomainError("VALIDATION", {}, [
          { path: "assigneeId", code: "not_eligible", message: "not_eligible" },
        ]);
    }
    return applyAssignee(tx, ctx, ticket, data.assigneeId);
  });
  ctx.notify.changed(changeEventOf("ticket.updated", updated));
  return updated;
}

/**
 * The change of assignee itself, shared by a person's assignment and
 * auto-assignment: it only applies if nobody changed the assignee since we read it
 * (two agents taking the same ticket at once get one winner and one CONFLICT);
 * writes the `assign` event (`comment` says why, e.g. `auto:least_busy`) and the
 * 'assigned' notifications; taking an open ticket starts work on it; an agent who
 * let go of a ticket has room for a waiting one.
 */
export async function applyAssignee(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  assigneeId: string | null,
  comment?: string,
): Promise<Ticket> {
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
  if (ticket.assigneeId !== null && isUnfinished(row.status))
    await queueDrainsForAgentId(tx, ticket.assigneeId, now);
  if (row.status === "open" && assigneeId !== null) return applyStatus(tx, ctx, row, "in_progress");
  return row;
}
