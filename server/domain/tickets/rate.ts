import { and, eq, isNull } from "drizzle-orm";
import { type Ticket, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isRequesterOf } from "../permissions.js";
import { parseInput } from "../validate.js";
import { rateSchema } from "./schemas.js";
import { changeEventOf, loadVisibleTicket, writeEvent } from "./shared.js";

/** The requester rates the outcome (1–5) once the ticket is closed; once only. */
export async function rateTicket({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<Ticket> {
  const data = parseInput(rateSchema, input);
  const updated = await ctx.db.transaction(async (tx) => {
    const ticket = await loadVisibleTicket(tx, ctx, data.ticketId);
    if (!isRequesterOf(ctx.actor, ticket)) throw new DomainError("FORBIDDEN", { action: "ticket.rate" });
    if (ticket.status !== "closed")
      throw new DomainError("INVALID_TRANSITION", { reason: "rate_before_close" });
    const [row] = await tx
      .update(tickets)
      .set({ rating: data.rating, ratingComment: data.comment ?? null, updatedAt: ctx.clock.now() })
      .where(and(eq(tickets.id, ticket.id), isNull(tickets.rating)))
      .returning();
    if (!row) throw new DomainError("CONFLICT", { reason: "already_rated" });
    await writeEvent(tx, ctx, ticket.id, "rating", { to: String(data.rating), comment: data.comment });
    return row;
  });
  ctx.notify.changed(changeEventOf("ticket.updated", updated));
  return updated;
}
