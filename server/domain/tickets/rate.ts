import { and, eq, sql } from "drizzle-orm";
import { type Ticket, ticketRatings, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isRequesterOf } from "../permissions.js";
import { parseInput } from "../validate.js";
import { rateSchema } from "./schemas.js";
import { changeEventOf, loadVisibleTicket, writeEvent } from "./shared.js";

/** How long a rating may still be changed (or given its comment) after it was first given. */
export const RATING_CHANGEABLE_MS = 24 * 3_600_000;

/**
 * The requester rates the outcome (1–5, with an optional comment, or a comment
 * alone for the rating already given) once the ticket is resolved or closed. One
 * rating per resolution (a reopened ticket resolved again is rated again),
 * changeable for 24 hours; the ticket shows the current resolution's rating.
 */
export async function rateTicket({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<Ticket> {
  const data = parseInput(rateSchema, input);
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const ticket = await loadVisibleTicket(tx, ctx, data.ticketId);
    if (!isRequesterOf(ctx.actor, ticket)) throw new DomainError("FORBIDDEN", { action: "ticket.rate" });
    const finished = ticket.status === "resolved" || ticket.status === "closed";
    if (!finished || ticket.resolutionCount < 1)
      throw new DomainError("INVALID_TRANSITION", { reason: "rate_before_close" });
    const resolution = ticket.resolutionCount;
    const [given] = await tx
      .select()
      .from(ticketRatings)
      .where(and(eq(ticketRatings.ticketId, ticket.id), eq(ticketRatings.resolution, resolution)))
      .for("update");
    if (given && now.getTime() - given.createdAt.getTime() > RATING_CHANGEABLE_MS)
      throw new DomainError("CONFLICT", { reason: "already_rated" });
    const score = data.rating ?? given?.score;
    if (score === undefined) throw new DomainError("INVALID_TRANSITION", { reason: "comment_before_rating" });
    const comment = data.comment ?? given?.comment ?? null;
    await tx
      .insert(ticketRatings)
      .values({ ticketId: ticket.id, resolution, score, comment, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [ticketRatings.ticketId, ticketRatings.resolution],
        set: { score, comment, updatedAt: now },
      });
    const [row] = await tx
      .update(tickets)
      .set({ rating: score, ratingComment: comment, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    await writeEvent(tx, ctx, ticket.id, "rating", {
      from: given ? String(given.score) : null,
      to: String(score),
      comment: data.comment,
    });
    return row;
  });
  ctx.notify.changed(changeEventOf("ticket.updated", updated));
  return updated;
}

/** The ratings of a ticket, one per resolution (staff see them in the ticket's details). */
export async function ticketRatingsOf(ctx: ServiceContext, ticketId: string) {
  await loadVisibleTicket(ctx.db, ctx, ticketId);
  return ctx.db
    .select()
    .from(ticketRatings)
    .where(eq(ticketRatings.ticketId, ticketId))
    .orderBy(sql`${ticketRatings.resolution}`);
}
