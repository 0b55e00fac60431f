import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { scheduledJobs, type Ticket, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { getSetting } from "../settings/store.js";
import { addCountedTime } from "../sla/business-time.js";
import { defaultCalendar } from "../sla/rules.js";
import { applyStatus } from "../tickets/change-status.js";
import { changeEventOf } from "../tickets/shared.js";
import { cancelJob, scheduleJob } from "./jobs.js";

const HOUR = 3_600_000;
const keyOf = (ticketId: string) => `auto_close:${ticketId}`;
type Resolved = Pick<Ticket, "resolvedAt" | "updatedAt">;

/**
 * When resolved tickets close, by the settings: `auto_close_hours` after they were
 * resolved (null: never), counted in the default business calendar's working hours
 * when `auto_close_business_hours` is on and a default calendar exists.
 */
async function closeTimer(tx: DbOrTx): Promise<((t: Resolved) => Date) | null> {
  const hours = await getSetting(tx, "auto_close_hours");
  if (hours <= 0) return null;
  const cal = (await getSetting(tx, "auto_close_business_hours")) ? await defaultCalendar(tx) : null;
  return (t) => {
    const from = (t.resolvedAt ?? t.updatedAt).getTime();
    return new Date((cal && addCountedTime(from, hours * HOUR, cal, [])) || from + hours * HOUR);
  };
}

/**
 * Keeps a ticket's auto-close in step with a status change, in its transaction:
 * resolving schedules the close (never when `auto_close_hours` is 0), leaving
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
  const closeAt = await closeTimer(tx);
  if (!closeAt) return cancelJob(tx, keyOf(ticket.id));
  await scheduleJob(tx, {
    kind: "auto_close",
    key: keyOf(ticket.id),
    runAt: closeAt(ticket),
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
 * Brings every resolved ticket's auto-close in line with the settings: at start
 * (tickets resolved before auto-close existed, or while it was off) and when an
 * admin changes `auto_close_hours` or `auto_close_business_hours`. 0 takes them all
 * off. Jobs running or done are left alone; only closes that moved are rewritten.
 */
export async function syncAutoCloseJobs(tx: DbOrTx): Promise<void> {
  const closeAt = await closeTimer(tx);
  if (!closeAt) {
    await tx
      .update(scheduledJobs)
      .set({ state: "cancelled", finishedAt: sql`now()` })
      .where(sql`${scheduledJobs.kind} = 'auto_close' and ${scheduledJobs.state} = 'pending'`);
    return;
  }
  const resolved = await tx
    .select({ id: tickets.id, resolvedAt: tickets.resolvedAt, updatedAt: tickets.updatedAt })
    .from(tickets)
    .where(eq(tickets.status, "resolved"));
  for (let i = 0; i < resolved.length; i += 500) {
    const rows = resolved.slice(i, i + 500).map((t) => ({ id: t.id, at: closeAt(t).toISOString() }));
    await tx.execute(sql`
      insert into ${scheduledJobs} (kind, key, run_at, payload)
      select 'auto_close', 'auto_close:' || r.id, r.at, jsonb_build_object('ticketId', r.id)
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id uuid, at timestamptz)
      on conflict (key) do update set run_at = excluded.run_at, state = 'pending', finished_at = null
        where ${scheduledJobs}.state = 'cancelled'
           or (${scheduledJobs}.state = 'pending' and ${scheduledJobs}.run_at <> excluded.run_at)`);
  }
}
