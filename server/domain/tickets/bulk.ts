import { eq } from "drizzle-orm";
import { ticketLabels } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { type ErrorCode, isDomainError } from "../errors.js";
import { isWorker, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";
import { assignTicket } from "./assign.js";
import { changeTicketStatus } from "./change-status.js";
import { bulkTicketsSchema } from "./schemas.js";
import { loadVisibleTicket } from "./shared.js";
import { updateTicket } from "./update.js";
import { ticketVersion } from "./version.js";

/** What happened to one ticket of a bulk action. */
export type BulkOutcome =
  | { ticketId: string; ok: true }
  | { ticketId: string; ok: false; code: ErrorCode; reason: string | null };

/**
 * One action (assign, status, add or remove a label) for many tickets, as the queue's
 * select mode sends it. Each ticket goes through the single verb on its own
 * (assignTicket, changeTicketStatus, updateTicket): the same role and scope checks,
 * the same history rows and notifications, its own transaction. So one refused
 * ticket (out of scope, a move its status does not allow, changed meanwhile) does
 * not undo the others, and the answer says for each ticket whether it worked.
 * Only the role is checked for the whole batch: someone who may not work tickets
 * at all is refused before anything is tried.
 */
export async function bulkUpdateTickets({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<{ results: BulkOutcome[] }> {
  const data = parseInput(bulkTicketsSchema, input);
  requireRole(ctx.actor, isWorker(ctx.actor), "ticket.bulk");
  const results: BulkOutcome[] = [];
  // One after another, not in parallel: a batch must not take every pooled connection.
  for (const ticketId of new Set(data.ticketIds)) {
    try {
      if (data.action === "assign")
        await assignTicket({ ctx, input: { ticketId, assigneeId: data.assigneeId } });
      else if (data.action === "status")
        await changeTicketStatus({ ctx, input: { ticketId, status: data.status } });
      else await relabel(ctx, ticketId, data.labelId, data.remove);
      results.push({ ticketId, ok: true });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      const reason = typeof err.details.reason === "string" ? err.details.reason : null;
      results.push({ ticketId, ok: false, code: err.code, reason });
    }
  }
  return { results };
}

/**
 * Adds or removes one label, keeping the others. The label set is read first and
 * written with the version it was read at (ifMatch), so a label someone else set
 * in between is not overwritten: that ticket answers PRECONDITION_FAILED instead.
 */
async function relabel(ctx: ServiceContext, ticketId: string, labelId: string, remove: boolean) {
  const ticket = await loadVisibleTicket(ctx.db, ctx, ticketId);
  const rows = await ctx.db
    .select({ id: ticketLabels.labelId })
    .from(ticketLabels)
    .where(eq(ticketLabels.ticketId, ticket.id));
  const current = rows.map((r) => r.id);
  const labelIds = remove ? current.filter((id) => id !== labelId) : [...new Set([...current, labelId])];
  // Nothing to change is still the state asked for: no history row, no version bump.
  if (labelIds.length === current.length && labelIds.every((id) => current.includes(id))) return;
  await updateTicket({ ctx, input: { ticketId, labelIds, ifMatch: ticketVersion(ticket) } });
}
