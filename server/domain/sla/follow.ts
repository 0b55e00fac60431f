import type { DbOrTx } from "../../../drizzle/client.js";
import type { SlaClock, Ticket } from "../../../drizzle/schema/index.js";
import { type ClockReading, readClock } from "./clock.js";
import { clockRulesFor, loadSlaRules, type SlaRules } from "./rules.js";
import { type SlaWrite, slaColumns, writeSlaClocks } from "./store.js";
import { type SlaChange, startClock, stepClock } from "./transitions.js";

type TicketFacts = Pick<
  Ticket,
  | "id"
  | "priority"
  | "categoryId"
  | "branchId"
  | "createdAt"
  | "slaClock"
  | "status"
  | "firstResponseAt"
  | "resolvedAt"
  | "updatedAt"
>;

/**
 * Moves a ticket's SLA clock for a change, in the change's transaction (the
 * ticket row is locked by it): reads the ticket's policy and calendar, steps the
 * clock, stores the due times and state the clock now reads, and moves the
 * ticket's sla_check job to the next warning or breach. A ticket without a clock
 * (from before SLA clocks) gets one started at its creation.
 */
export async function followSla<T extends TicketFacts>(
  tx: DbOrTx,
  ticket: T,
  change: SlaChange,
  now: Date,
  extra: { clock?: SlaClock; rules?: SlaRules } = {},
): Promise<{ ticket: T & ReturnType<typeof slaColumns>; reading: ClockReading }> {
  const write = stepSla(extra.rules ?? (await loadSlaRules(tx)), ticket, change, now, extra.clock);
  await writeSlaClocks(tx, [write]);
  return { ticket: { ...ticket, ...slaColumns(write) }, reading: write.reading };
}

/** The clock after a change, read under the ticket's policy and calendar: what writeSlaClocks stores. */
export function stepSla(
  rules: SlaRules,
  ticket: TicketFacts,
  change: SlaChange,
  now: Date,
  clockNow?: SlaClock,
): SlaWrite {
  const { policy, cal, targets } = clockRulesFor(rules, ticket);
  const clock = clockNow ?? ticket.slaClock ?? clockFromHistory(ticket);
  const next = stepClock(clock, change, readClock(clock, targets, cal, now), now);
  return {
    ticketId: ticket.id,
    clock: next,
    policyId: policy?.id ?? null,
    reading: readClock(next, targets, cal, now),
  };
}

/**
 * The clock of a ticket from before SLA clocks, from what it records: answered
 * tickets have their first response met, finished ones their resolution, and one
 * waiting for its requester stands still since its last change. (Whether those
 * were in time is not judged after the fact.)
 */
export function clockFromHistory(t: TicketFacts): SlaClock {
  const clock = startClock(t.createdAt);
  const met = (at: Date | null) => ({
    startedAt: t.createdAt.toISOString(),
    state: "met" as const,
    endedAt: at?.toISOString(),
  });
  if (t.firstResponseAt) clock.targets.first_response = met(t.firstResponseAt);
  if (t.status === "resolved" || t.status === "closed")
    clock.targets.resolution = met(t.resolvedAt ?? t.updatedAt);
  if (t.status === "waiting_customer") clock.pauses.push({ from: t.updatedAt.toISOString(), to: null });
  return clock;
}
