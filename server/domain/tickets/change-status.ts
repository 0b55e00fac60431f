import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Ticket, type TicketStatus, tickets } from "../../../drizzle/schema/index.js";
import { followAssignment } from "../assignment/scope.js";
import { queueAutomation } from "../automation/queue.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { canMove, isReopen, type LifecycleParty } from "../lifecycle.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { isRequesterOf, worksTicket } from "../permissions.js";
import { followAutoClose } from "../schedule/auto-close.js";
import { getSetting } from "../settings/store.js";
import { followSla } from "../sla/follow.js";
import { parseInput } from "../validate.js";
import { changeStatusSchema } from "./schemas.js";
import { changeEventOf, writeEvent } from "./shared.js";
import { loadTicketForChange, requireVersion } from "./version.js";

/**
 * Moves a ticket along the lifecycle. Staff of the ticket's scope use the staff
 * table; its requester may close or reopen it; auditors may not change anything.
 */
export async function changeTicketStatus({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<Ticket> {
  const data = parseInput(changeStatusSchema, input);
  const updated = await ctx.db.transaction(async (tx) => {
    const ticket = await loadTicketForChange(tx, ctx, data.ticketId, data.ifMatch);
    const party = partyOf(ctx, ticket);
    if (!party) throw new DomainError("FORBIDDEN", { action: "ticket.change_status" });
    requireVersion(ticket, data.ifMatch);
    if (!canMove(party, ticket.status, data.status)) {
      // A move staff could make is a permission problem for a requester; a move
      // nobody can make is a lifecycle problem.
      const code = canMove("staff", ticket.status, data.status) ? "FORBIDDEN" : "INVALID_TRANSITION";
      throw new DomainError(code, { from: ticket.status, to: data.status, action: "ticket.change_status" });
    }
    if (party === "requester") await requireReopenWindow(tx, ctx, ticket, data.status);
    return applyStatus(tx, ctx, ticket, data.status, data.comment);
  });
  ctx.notify.changed(changeEventOf("ticket.updated", updated));
  return updated;
}

/**
 * A requester may reopen a closed ticket for `reopen_days` after its close (0: any
 * time); later they open a new ticket instead. Staff may always reopen.
 */
export async function requireReopenWindow(tx: DbOrTx, ctx: ServiceContext, ticket: Ticket, to: TicketStatus) {
  if (ticket.status !== "closed" || !isReopen(ticket.status, to) || !ticket.closedAt) return;
  const days = await getSetting(tx, "reopen_days");
  if (days > 0 && ctx.clock.now().getTime() - ticket.closedAt.getTime() > days * 86_400_000)
    throw new DomainError("INVALID_TRANSITION", { reason: "reopen_window_passed", days });
}

const FINISHED: TicketStatus[] = ["resolved", "closed"];
/** Whether a move finishes the ticket (resolved or closed from a status still being worked). */
const finishes = (from: TicketStatus, to: TicketStatus) => FINISHED.includes(to) && !FINISHED.includes(from);

export function partyOf(ctx: ServiceContext, ticket: Ticket): LifecycleParty | null {
  if (worksTicket(ctx.actor, ticket)) return "staff";
  if (isRequesterOf(ctx.actor, ticket)) return "requester";
  return null;
}

/**
 * The conditional update at the heart of every status change: it only applies if
 * the ticket is still in the status we read, so a concurrent change makes this
 * one a CONFLICT instead of silently overwriting it.
 */
export async function applyStatus(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  to: TicketStatus,
  comment?: string,
): Promise<Ticket> {
  const now = ctx.clock.now();
  const reopen = isReopen(ticket.status, to);
  const [row] = await tx
    .update(tickets)
    .set({
      status: to,
      updatedAt: now,
      resolvedAt:
        to === "resolved" || to === "closed"
          ? sql`coalesce(${tickets.resolvedAt}, ${now.toISOString()}::timestamptz)`
          : reopen
            ? null
            : undefined,
      closedAt: to === "closed" ? now : reopen ? null : undefined,
      // A new resolution: counted, and rated afresh (ticket_ratings keeps each one's rating).
      ...(finishes(ticket.status, to)
        ? { resolutionCount: sql`${tickets.resolutionCount} + 1`, rating: null, ratingComment: null }
        : {}),
    })
    .where(and(eq(tickets.id, ticket.id), eq(tickets.status, ticket.status)))
    .returning();
  if (!row) throw new DomainError("CONFLICT", { reason: "status_changed_meanwhile" });
  const eventId = await writeEvent(tx, ctx, ticket.id, reopen ? "reopen" : "status", {
    from: ticket.status,
    to,
    comment,
  });
  await recordTicketNotifications(tx, ctx, row, eventId, { kind: "status", from: ticket.status, to });
  await followAutoClose(tx, ticket.status, row);
  await queueAutomation(tx, ctx, { ticketId: ticket.id, event: "ticket_updated" });
  await followAssignment(tx, ticket.status, row, now);
  return (await followSla(tx, row, { kind: "status", from: ticket.status, to }, now)).ticket;
}
