import type { Ticket } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { isStaffReader } from "../permissions.js";
import { type SlaView, slaViewOf } from "../sla/view.js";

/** A ticket as the doors get it: with its SLA made current, for staff only (null for requesters). */
export type WithSla<T> = T & { sla: SlaView | null };

/**
 * Adds `sla` to a ticket read for this actor. SLA is how staff are measured, not a
 * promise to the requester: a requester gets `sla: null` and the raw SLA columns blanked,
 * so no door shows them a due time or a breach.
 */
export function withSla<T extends Ticket>(
  ctx: Pick<ServiceContext, "actor" | "clock">,
  ticket: T,
): WithSla<T> {
  if (isStaffReader(ctx.actor)) return { ...ticket, sla: slaViewOf(ticket, ctx.clock.now()) };
  return {
    ...ticket,
    slaState: "none",
    slaPolicyId: null,
    slaClock: null,
    escalatedAt: null,
    firstResponseDueAt: null,
    nextResponseDueAt: null,
    resolutionDueAt: null,
    sla: null,
  };
}
