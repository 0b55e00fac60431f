import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { scheduledJobs, type Ticket, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { getSetting } from "../settings/store.js";
import { applyStatus } from "../tickets/change-status.js";
import { changeEventOf } from "../tickets/shared.js";
import { cancelJob, scheduleJob } from "./jobs.js";

const HOUR = 3_600_000;
const keyOf = (ticketId: string) => `auto_close:${ticketId}`;
/** When a resolved ticket closes: `hours` after it was resolved (the same rule syncAutoCloseJobs applies in SQL). */
const closeDue = (t: Pick<Ticket, "resolvedAt" | "updatedAt">, hours: number) =>
  new Date((t.resolvedAt ?? t.updatedAt).getTime() + hours * HOUR);

/**
 * Keeps a ticket's auto-close in step with a status change, in its transaction:
 * resolving schedules the close `auto_close_hours` later (0 = never), leaving
 * resolved (a requester's reply reopens the ticket) takes it off. Only a resolved
 * ticket has a close waiting, so other moves have nothing to do here.
 */
export async function followAutoClose(
  tx: DbOrTx,
  from: Ticket["status"],
  ticket: Pick<Ticket, "id" | "status" | "resolvedAt" | "updatedAt">,
) {
  if (ticket.status !== "resolved") {
    if (from === "resolved") await cancelJob(tx, keyOf(ticket.id));
    return;
  }
  const hours = await getSetting(tx, "auto_close_hours");
  if (hours <= 0) return cancelJob(tx, keyOf(ticket.id));
  await scheduleJob(tx, {
    kind: "auto_close",
    key: keyOf(ticket.id),
    runAt: closeDue(ticket, hours),
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
    return applyStatus(tx, ctx, ticket, "closed");
  });
  if (closed) ctx.notify.changed(changeEventOf("ticket.updated", closed));
  return closed;
}

/**
 * Brings every resolved ticket's auto-close in line with the setting: at start
 * (tickets resolved before auto-close existed, or while it was off) and when an
 * admin changes `auto_close_hours`. Each close is due `hours` after the ticket was
 * resolved; 0 takes them all off. Jobs running or done are left alone.
 */
export async function syncAutoCloseJobs(tx: DbOrTx): Promise<void> {
  const hours = await getSetting(tx, "auto_close_hours");
  if (hours <= 0) {
    await tx
      .update(scheduledJobs)
      .set({ state: "cancelled", finishedAt: sql`now()` })
      .where(sql`${scheduledJobs.kind} = 'auto_close' and ${scheduledJobs.state} = 'pending'`);
    return;
  }
  await tx.execute(sql`
    insert into ${scheduledJobs} (kind, key, run_at, payload)
    select 'auto_close', 'auto_close:' || t.id,
           coalesce(t.resolved_at, t.updated_at) + make_interval(hours => ${hours}),
           jsonb_build_object('ticketId', t.id)
    from ${tickets} t where t.status = 'resolved'
    on conflict (key) do update set run_at = excluded.run_at, state = 'pending', finished_at = null
      where ${scheduledJobs}.state = 'cancelled'
         or (${scheduledJobs}.state = 'pending' and ${scheduledJobs}.run_at <> excluded.run_at)`);
}
