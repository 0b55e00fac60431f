import { and, eq, gt, isNotNull, isNull, lte, notInArray, or, type SQL } from "drizzle-orm";
import { tickets } from "../../../drizzle/schema/index.js";
import type { Actor } from "../context.js";
import { forbidden } from "../errors.js";
import { isStaffReader } from "../permissions.js";
import type { SLA_FILTERS } from "./schemas.js";

type SlaFilter = (typeof SLA_FILTERS)[number];

const DUE_COLUMNS = [tickets.firstResponseDueAt, tickets.nextResponseDueAt, tickets.resolutionDueAt];

/**
 * The queue's SLA conditions, agreeing with slaViewOf (what the rows then show): "breached"
 * is the stored state or any running due already passed (the scheduler's job may not have
 * run yet); "at risk" is the stored state with nothing overdue. "Escalated" is a ticket a
 * breach escalated that is still being worked.
 */
export function slaFilterConditions(
  actor: Actor,
  now: Date,
  f: { sla?: SlaFilter; escalated?: boolean },
): SQL[] {
  if (f.sla === undefined && !f.escalated) return [];
  // SLA is staff information: a requester filtering on it would learn it from what comes back.
  if (!isStaffReader(actor)) throw forbidden("filter_sla");
  const where: SQL[] = [];
  if (f.sla === "breached") {
    where.push(or(eq(tickets.slaState, "breached"), ...DUE_COLUMNS.map((c) => lte(c, now))) as SQL);
  }
  if (f.sla === "at_risk") {
    where.push(eq(tickets.slaState, "at_risk"), ...DUE_COLUMNS.map((c) => or(isNull(c), gt(c, now)) as SQL));
  }
  if (f.escalated) {
    where.push(isNotNull(tickets.escalatedAt), notInArray(tickets.status, ["resolved", "closed"]));
  }
  return where.length > 1 ? [and(...where) as SQL] : where;
}
