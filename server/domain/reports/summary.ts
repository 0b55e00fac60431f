import { and, count, gte, type SQL } from "drizzle-orm";
import { TICKET_STATUSES, type TicketStatus, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isStaffReader, ticketScopeFilter } from "../permissions.js";
import { dayKey } from "../tickets/numbering.js";
import { finishesSince, type NeedsAttention, needsAttention } from "./attention.js";

export interface QueueSummary {
  /** Open work right now, by status, in the actor's scope. */
  byStatus: Record<TicketStatus, number>;
  /** Tickets created today (in the configured time zone), in scope. */
  createdToday: number;
  /** Finishes (resolved or closed) today, in scope; as the volume report counts them. */
  resolvedToday: number;
  /** Unassigned, at risk, breached, oldest waiting: each the queue's own filter. */
  attention: NeedsAttention;
}

/** The dashboard's numbers for staff: counts by status, today's figures, what needs attention. */
export async function getQueueSummary({
  ctx,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<QueueSummary> {
  if (!isStaffReader(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "reports.summary" });
  const scope = ticketScopeFilter(ctx.actor);
  const rows = await ctx.db
    .select({ status: tickets.status, n: count() })
    .from(tickets)
    .where(scope)
    .groupBy(tickets.status);
  const byStatus = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
  for (const r of rows) byStatus[r.status] = r.n;
  const startOfDay = startOfLocalDay(ctx.clock.now(), ctx.settings.timeZone);
  const where: (SQL | undefined)[] = [scope, gte(tickets.createdAt, startOfDay)];
  const [today] = await ctx.db
    .select({ n: count() })
    .from(tickets)
    .where(and(...where));
  return {
    byStatus,
    createdToday: today.n,
    resolvedToday: await finishesSince(ctx, scope, startOfDay),
    attention: await needsAttention(ctx, scope),
  };
}

/** Midnight of `at`'s day in the time zone, found by stepping back whole minutes. */
function startOfLocalDay(at: Date, timeZone: string): Date {
  const day = dayKey(at, timeZone);
  let lo = new Date(at.getTime() - 26 * 3600_000);
  let hi = at;
  // Binary search for the first instant whose local day is today (time zones are not whole hours).
  while (hi.getTime() - lo.getTime() > 60_000) {
    const mid = new Date((lo.getTime() + hi.getTime()) / 2);
    if (dayKey(mid, timeZone) === day) hi = mid;
    else lo = mid;
  }
  return new Date(Math.floor(hi.getTime() / 60_000) * 60_000);
}
