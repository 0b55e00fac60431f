import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Ticket, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { canSeeTicket } from "../permissions.js";
import { loadVisibleTicket } from "./shared.js";

/**
 * A ticket's version, as the HTTP door's ETag carries it. Every change to a ticket
 * (fields, status, assignee, a new message) sets updated_at from the clock, so
 * the time it last changed tells one state from the next.
 */
export function ticketVersion(ticket: { updatedAt: Date }): string {
  return ticket.updatedAt.getTime().toString(36);
}

/**
 * The ticket a change applies to. When the caller names the version it saw, the
 * row is locked first, so no other change can slip in between comparing the
 * version (requireVersion) and writing.
 */
export async function loadTicketForChange(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticketId: string,
  ifMatch: string | undefined,
): Promise<Ticket> {
  if (ifMatch === undefined) return loadVisibleTicket(tx, ctx, ticketId);
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
  if (!ticket || !canSeeTicket(ctx.actor, ticket)) throw notFound("ticket", ticketId);
  return ticket;
}

/** PRECONDITION_FAILED when the caller's copy is older than the ticket (checked after the permission). */
export function requireVersion(ticket: Ticket, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && ticketVersion(ticket) !== ifMatch)
    throw new DomainError("PRECONDITION_FAILED", { entity: "ticket" });
}
