import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Ticket, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { getSetting } from "../settings/store.js";
import { applyStatus } from "../tickets/change-status.js";
import { changeEventOf } from "../tickets/shared.js";
import { cancelJob, scheduleJob } from "./jobs.js";

const HOUR = 3_600_000;
const keyOf = (ticketId: string) => `auto_close:${ticketId}`;

/**
 * Keeps a ticket's auto-close in step with its status, in the status change's
 * transaction: resolving schedules the close `auto_close_hours` later (0 = never),
 * any other status (a requester's reply reopens a resolved ticket) takes it off.
 */
export async function followAutoClose(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Pick<Ticket, "id" | "status">,
) {
  if (ticket.status !== "resolved") return cancelJob(tx, keyOf(ticket.id));
  const hours = await getSetting(tx, "auto_close_hours");
  if (hours <= 0) return cancelJob(tx, keyOf(ticket.id));
  await scheduleJob(tx, {
    kind: "auto_close",
    key: keyOf(ticket.id),
    runAt: new Date(ctx.clock.now().getTime() + hours * HOUR),
    payload: { ticketId: ticket.id },
  });
}

/**
 * The scheduler's auto_close job: closes a ticket that is still resolved, as the
 * system. The requester hears of it as of any close (with the rating buttons) and
 * can reopen it. A ticket that moved on meanwhile is left alone: running the job
 * twice, or after a change, closes nothing it should not.
 */
export async function autoCloseTicket({ ctx, input }: { ctx: ServiceContext; input: { ticketId: string } }) {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "ticket.auto_close" });
  const closed = await ctx.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, input.ticketId)).for("update");
    if (ticket?.status !== "resolved") return null;
    return applyStatus(tx, ctx, ticket, "closed", "auto_close");
  });
  if (closed) ctx.notify.changed(changeEventOf("ticket.updated", closed));
  return closed;
}
