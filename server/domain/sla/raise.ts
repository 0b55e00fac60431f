import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { PRIORITIES, type SlaPolicy, type Ticket, tickets, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { activeStaffCovering, isSystem } from "../permissions.js";
import { applyAssignment } from "../tickets/assign.js";
import { changeEventOf, writeEvent } from "../tickets/shared.js";
import { applyTicketUpdate } from "../tickets/update.js";
import { type ClockReading, readClock } from "./clock.js";
import { followSla } from "./follow.js";
import { clockRulesFor, loadSlaRules } from "./rules.js";
import { markRaised } from "./transitions.js";

/**
 * The scheduler's sla_check job for one ticket: under the ticket's lock, reads its
 * clock now and raises what is due — an `sla_warning` (the assignee hears, or the
 * staff chat when nobody is assigned) or an `sla_breach` (the staff chat, the
 * scope's moderators and the assignee hear; the policy's escalation runs) — each
 * once per target, marked on the clock in the same transaction. Then the clock is
 * stored and the job moved to its next time. Running it twice, or early, raises
 * nothing twice.
 */
export async function checkTicketSla({ ctx, input }: { ctx: ServiceContext; input: { ticketId: string } }) {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "ticket.sla_check" });
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, input.ticketId)).for("update");
    if (!ticket?.slaClock) return null;
    const rules = await loadSlaRules(tx);
    const { policy, cal, targets } = clockRulesFor(rules, ticket);
    const reading = readClock(ticket.slaClock, targets, cal, now);
    let current = ticket;
    for (const r of reading.raise) {
      const due = reading.running.find((t) => t.target === r.target)?.due ?? null;
      const eventId = await writeEvent(
        tx,
        ctx,
        ticket.id,
        r.kind === "warning" ? "sla_warning" : "sla_breach",
        {
          to: r.target,
          comment: due?.toISOString() ?? null,
        },
      );
      if (r.kind === "breach" && policy) current = await escalate(tx, ctx, current, policy, now);
      await recordTicketNotifications(tx, ctx, current, eventId, {
        kind: "sla",
        raise: r.kind,
        target: r.target,
        dueAt: due?.toISOString() ?? null,
        escalateTo: r.kind === "breach" ? (policy?.escalation.notifyChatId ?? null) : null,
      });
    }
    const clock = markRaised(ticket.slaClock, reading.raise, now);
    const followed = await followSla(tx, current, { kind: "recalc" }, now, { clock, rules });
    return { ...followed, raised: reading.raise };
  });
  if (result && result.raised.length > 0) ctx.notify.changed(changeEventOf("ticket.updated", result.ticket));
  return result ? { state: result.reading.state, raised: result.raised as ClockReading["raise"] } : null;
}

/**
 * A breach's escalation, as the policy says: one priority step up, and/or the
 * ticket handed to the least busy moderator of its scope (when it is not with a
 * moderator already). Each change goes through the verbs' own writes (history rows
 * with comment `sla_escalation`, notifications, the clock, the rules); the ticket is
 * marked escalated for the queue's Escalated tab.
 */
async function escalate(tx: DbOrTx, ctx: ServiceContext, ticket: Ticket, policy: SlaPolicy, now: Date) {
  const { raisePriority, reassignToModerator, notifyChatId } = policy.escalation;
  if (!raisePriority && !reassignToModerator && !notifyChatId) return ticket;
  const by: ServiceContext = { ...ctx, because: "sla_escalation" };
  let row = ticket;
  const higher = PRIORITIES[PRIORITIES.indexOf(row.priority) + 1];
  if (raisePriority && higher) row = await applyTicketUpdate(tx, by, row, { priority: higher });
  const moderator = reassignToModerator ? await leastBusyModerator(tx, row) : null;
  if (moderator && moderator !== row.assigneeId) row = await applyAssignment(tx, by, row, moderator);
  const [marked] = await tx
    .update(tickets)
    .set({ escalatedAt: now })
    .where(eq(tickets.id, ticket.id))
    .returning();
  return marked;
}

/** The active moderator covering the ticket's branch with the fewest unfinished tickets. */
async function leastBusyModerator(tx: DbOrTx, ticket: Ticket): Promise<string | null> {
  // Counted per moderator through the (assignee, status) index, not over every ticket.
  const unfinished = sql`(select count(*) from ${tickets} t where t.assignee_id = ${users.id}
    and t.status in ('open', 'in_progress', 'waiting_customer'))`;
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "moderator"), activeStaffCovering(ticket.branchId)))
    .orderBy(asc(unfinished), asc(users.createdAt))
    .limit(1);
  return row?.id ?? null;
}
