import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { categories, labels, type Ticket, ticketLabels, tickets } from "../../../drizzle/schema/index.js";
import { queueAutomation } from "../automation/queue.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { worksTicket } from "../permissions.js";
import { followSla } from "../sla/follow.js";
import { parseInput } from "../validate.js";
import { updateTicketSchema } from "./schemas.js";
import { changeEventOf, writeEvent } from "./shared.js";
import { loadTicketForChange, requireVersion } from "./version.js";

/**
 * Triage edits by staff of the ticket's scope: title, priority, category, labels.
 * Each changed field writes its own history event.
 */
export async function updateTicket({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<Ticket> {
  const data = parseInput(updateTicketSchema, input);
  const updated = await ctx.db.transaction(async (tx) => {
    const ticket = await loadTicketForChange(tx, ctx, data.ticketId, data.ifMatch);
    if (!worksTicket(ctx.actor, ticket)) throw new DomainError("FORBIDDEN", { action: "ticket.update" });
    requireVersion(ticket, data.ifMatch);

    return applyTicketUpdate(tx, ctx, ticket, data);
  });
  ctx.notify.changed(changeEventOf("ticket.updated", updated));
  return updated;
}

/** The fields of a triage edit; each one given and different from the ticket's is changed. */
export interface TicketEdit {
  title?: string;
  priority?: Ticket["priority"];
  categoryId?: string;
  labelIds?: string[];
}

/**
 * updateTicket's writes, in the caller's transaction, for a ticket already checked and
 * read under lock (automation rules call it too): each changed field, its history row,
 * the priority notice, the SLA clock, and the rules of ticket_updated.
 */
export async function applyTicketUpdate(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  data: TicketEdit,
): Promise<Ticket> {
  if (data.categoryId && data.categoryId !== ticket.categoryId) {
    const [cat] = await tx
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.id, data.categoryId), eq(categories.isActive, true)));
    if (!cat) throw invalid("categoryId", "unknown_category");
  }
  const changes: Partial<Ticket> = {};
  const events: Array<[Parameters<typeof writeEvent>[3], string | null, string | null]> = [];
  if (data.title !== undefined && data.title !== ticket.title) {
    changes.title = data.title;
    events.push(["title", ticket.title, data.title]);
  }
  if (data.priority && data.priority !== ticket.priority) {
    changes.priority = data.priority;
    events.push(["priority", ticket.priority, data.priority]);
  }
  if (data.categoryId && data.categoryId !== ticket.categoryId) {
    changes.categoryId = data.categoryId;
    events.push(["category", ticket.categoryId, data.categoryId]);
  }
  if (data.labelIds) {
    const labelChange = await replaceLabels(tx, ticket.id, data.labelIds);
    if (labelChange) events.push(["label", labelChange.from, labelChange.to]);
  }
  if (events.length === 0) return ticket;

  let [row] = await tx
    .update(tickets)
    .set({ ...changes, updatedAt: ctx.clock.now() })
    .where(eq(tickets.id, ticket.id))
    .returning();
  // Another priority or category may have another SLA policy: the clock is read again.
  if (changes.priority || changes.categoryId)
    row = (await followSla(tx, row, { kind: "recalc" }, ctx.clock.now())).ticket;
  for (const [kind, from, to] of events) {
    const eventId = await writeEvent(tx, ctx, ticket.id, kind, { from, to });
    // Priority is triage: the staff chat hears of it (and a plain group's card is redrawn).
    if (kind === "priority" && from && to)
      await recordTicketNotifications(tx, ctx, row, eventId, { kind: "priority", from, to });
  }
  await queueAutomation(tx, ctx, { ticketId: ticket.id, event: "ticket_updated" });
  return row;
}

async function replaceLabels(tx: DbOrTx, ticketId: string, labelIds: string[]) {
  const wanted = [...new Set(labelIds)].sort();
  if (wanted.length > 0) {
    const found = await tx
      .select({ id: labels.id })
      .from(labels)
      .where(and(inArray(labels.id, wanted), eq(labels.isActive, true)));
    if (found.length !== wanted.length) throw invalid("labelIds", "unknown_label");
  }
  const current = (
    await tx
      .select({ id: ticketLabels.labelId })
      .from(ticketLabels)
      .where(eq(ticketLabels.ticketId, ticketId))
  )
    .map((r) => r.id)
    .sort();
  if (current.join(",") === wanted.join(",")) return null;
  await tx.delete(ticketLabels).where(eq(ticketLabels.ticketId, ticketId));
  if (wanted.length > 0)
    await tx.insert(ticketLabels).values(wanted.map((labelId) => ({ ticketId, labelId })));
  return { from: current.join(",") || null, to: wanted.join(",") || null };
}

function invalid(path: string, code: string) {
  return new DomainError("VALIDATION", {}, [{ path, code, message: code }]);
}
