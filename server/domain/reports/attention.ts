import { and, asc, count, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { slaFilterConditions } from "../tickets/sla-filter.js";
import { FINISH, reportRows } from "./sql-parts.js";

/** Statuses still being worked (the queue's Unassigned tab and the SLA figures count these only). */
export const UNFINISHED = ["open", "in_progress", "waiting_customer"] as const;
/** Unfinished and the requester is not the one being waited for: staff owe the next move. */
export const WAITING_ON_STAFF = ["open", "in_progress"] as const;

export interface NeedsAttention {
  /** Unfinished tickets nobody is assigned to (the queue: assigneeId=none, status unfinished). */
  unassigned: number;
  /** Unfinished tickets at risk / breached, as the queue's sla filter finds them. */
  atRisk: number;
  breached: number;
  /** The ticket waiting on staff the longest (open or in progress, oldest first). */
  oldestWaiting: { id: string; number: string; title: string; createdAt: Date } | null;
}

/**
 * What needs attention now, in scope. Each figure is the very condition the queue
 * applies for the filter the dashboard opens, so tapping a figure lists that many
 * tickets (the SLA conditions come from the queue's own slaFilterConditions).
 */
export async function needsAttention(ctx: ServiceContext, scope: SQL | undefined): Promise<NeedsAttention> {
  const unfinished = inArray(tickets.status, [...UNFINISHED]);
  const countWhere = async (...where: (SQL | undefined)[]) => {
    const [row] = await ctx.db
      .select({ n: count() })
      .from(tickets)
      .where(and(scope, unfinished, ...where));
    return row.n;
  };
  const now = ctx.clock.now();
  const unassigned = await countWhere(isNull(tickets.assigneeId));
  const atRisk = await countWhere(...slaFilterConditions(ctx.actor, now, { sla: "at_risk" }));
  const breached = await countWhere(...slaFilterConditions(ctx.actor, now, { sla: "breached" }));
  const [oldest] = await ctx.db
    .select({ id: tickets.id, number: tickets.number, title: tickets.title, createdAt: tickets.createdAt })
    .from(tickets)
    .where(and(scope, inArray(tickets.status, [...WAITING_ON_STAFF])))
    .orderBy(asc(tickets.createdAt), asc(tickets.id))
    .limit(1);
  return { unassigned, atRisk, breached, oldestWaiting: oldest ?? null };
}

/** Finishes (to resolved or closed from a worked status) since `since`, in scope: today's resolved. */
export async function finishesSince(
  ctx: ServiceContext,
  scope: SQL | undefined,
  since: Date,
): Promise<number> {
  const [row] = await reportRows<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from ticket_events e join tickets on tickets.id = e.ticket_id
        where ${FINISH} and e.kind = 'status' and e.created_at >= ${since.toISOString()}::timestamptz
          and ${scope ?? sql`true`}`,
  );
  return Number(row.n);
}
