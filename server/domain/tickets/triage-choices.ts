import { and, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { type TicketStatus, type User, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { staffMovesFrom } from "../lifecycle.js";
import { activeStaffCovering, canAssignOthers, worksTicket } from "../permissions.js";
import { parseInput } from "../validate.js";
import { uuid } from "./schemas.js";
import { loadVisibleTicket } from "./shared.js";

/**
 * How many people to offer: a Telegram keyboard stays usable at the default 40 (it
 * allows 100 buttons); the Mini App's picker asks for up to 200, a whole school's staff.
 */
const choicesInput = z.object({ ticketId: uuid, limit: z.number().int().min(1).max(200).default(40) });

export interface TriageChoices {
  /** People the actor may make the assignee (never the current one). */
  assignees: User[];
  /** Whether the actor may leave the ticket with nobody. */
  canUnassign: boolean;
  /** Statuses the actor may move the ticket to from where it stands. */
  statuses: TicketStatus[];
}

/**
 * What a staff member may choose for a ticket, so a door shows only choices that
 * will be accepted: moderators and admins assign any active worker who covers the
 * ticket's branch; an agent only takes an unassigned ticket or lets go of their own.
 * The verbs (assignTicket, changeTicketStatus) still check everything on use.
 */
export async function getTriageChoices({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<TriageChoices> {
  const { ticketId, limit } = parseInput(choicesInput, input);
  const ticket = await loadVisibleTicket(ctx.db, ctx, ticketId);
  if (!worksTicket(ctx.actor, ticket)) throw new DomainError("FORBIDDEN", { action: "ticket.assign" });
  const others = canAssignOthers(ctx.actor);
  let assignees: User[] = [];
  if (others || (ticket.assigneeId === null && ctx.actor.id !== null)) {
    assignees = await ctx.db
      .select()
      .from(users)
      .where(
        and(
          activeStaffCovering(ticket.branchId),
          ticket.assigneeId ? ne(users.id, ticket.assigneeId) : undefined,
          others ? undefined : eq(users.id, ctx.actor.id as string),
        ),
      )
      .orderBy(asc(users.firstName), asc(users.id))
      .limit(limit);
  }
  const canUnassign = ticket.assigneeId !== null && (others || ticket.assigneeId === ctx.actor.id);
  return { assignees, canUnassign, statuses: staffMovesFrom(ticket.status) };
}
