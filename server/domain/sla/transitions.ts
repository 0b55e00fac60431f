import type { SlaClock, SlaTarget, SlaTargetClock, TicketStatus } from "../../../drizzle/schema/index.js";
import type { ClockReading } from "./clock.js";

/**
 * What moves a ticket's SLA clock. Each is a pure step on the clock (this file);
 * follow.ts reads the policy and calendar around it and writes the result.
 */
export type SlaChange =
  | { kind: "created" }
  /** A public staff answer: the first response, and a waiting next response, are met. */
  | { kind: "staff_reply" }
  /** A public requester message: starts the next-response clock once the first answer came. */
  | { kind: "requester_message" }
  | { kind: "status"; from: TicketStatus; to: TicketStatus }
  /** Priority, category or branch changed, or a policy or calendar was edited: read again. */
  | { kind: "recalc" };

const FINISHED: TicketStatus[] = ["resolved", "closed"];

const running = (at: Date): SlaTargetClock => ({ startedAt: at.toISOString(), state: "running" });

/** A fresh clock: first response and resolution run from the ticket's creation. */
export function startClock(createdAt: Date): SlaClock {
  return { pauses: [], targets: { first_response: running(createdAt), resolution: running(createdAt) } };
}

/** Ends a running target: met in time, else met late (or breached when it ended unmet). */
function end(c: SlaTargetClock, now: Date, due: Date | null, met: boolean): SlaTargetClock {
  if (c.state !== "running") return c;
  const late = due !== null && due.getTime() < now.getTime();
  return { ...c, state: !late ? "met" : met ? "met_late" : "breached", endedAt: now.toISOString() };
}

/**
 * The clock after a change, given the reading just before it (for the due times an
 * ending is judged against). Unchanged input gives an equal clock back.
 */
export function stepClock(clock: SlaClock, change: SlaChange, before: ClockReading, now: Date): SlaClock {
  const dueOf = (t: SlaTarget) => before.running.find((r) => r.target === t)?.due ?? null;
  const targets = { ...clock.targets };
  let pauses = clock.pauses;
  const endTarget = (t: SlaTarget, met: boolean) => {
    const c = targets[t];
    if (c) targets[t] = end(c, now, dueOf(t), met);
  };
  switch (change.kind) {
    case "created":
    case "recalc":
      return clock;
    case "staff_reply":
      endTarget("first_response", true);
      endTarget("next_response", true);
      break;
    case "requester_message": {
      const waiting = targets.next_response?.state === "running";
      const answered = targets.first_response?.state !== "running";
      if (!waiting && answered) targets.next_response = running(now);
      break;
    }
    case "status": {
      const { from, to } = change;
      if (to === "waiting_customer" && from !== "waiting_customer")
        pauses = [...pauses, { from: now.toISOString(), to: null }];
      if (from === "waiting_customer" && to !== "waiting_customer") pauses = closePause(pauses, now);
      if (FINISHED.includes(to) && !FINISHED.includes(from)) {
        endTarget("resolution", true);
        // Finished without an answer: judged like an answer given now, but never "met late".
        endTarget("first_response", false);
        endTarget("next_response", false);
      }
      if (FINISHED.includes(from) && !FINISHED.includes(to)) {
        // Reopened: the resolution clock goes on; the time it stood finished does not count.
        const r = targets.resolution;
        if (r && r.state !== "running" && r.endedAt) {
          // Its warning and breach stay raised: each is raised once per target.
          const { startedAt, warnedAt, breachedAt } = r;
          targets.resolution = { startedAt, state: "running", warnedAt, breachedAt };
          pauses = [...pauses, { from: r.endedAt, to: now.toISOString() }];
        }
      }
      break;
    }
  }
  return { pauses, targets };
}

function closePause(pauses: SlaClock["pauses"], now: Date): SlaClock["pauses"] {
  return pauses.map((p) => (p.to === null ? { ...p, to: now.toISOString() } : p));
}

/** Marks raised warnings and breaches on the clock (each once per target run). */
export function markRaised(clock: SlaClock, raise: ClockReading["raise"], now: Date): SlaClock {
  const targets = { ...clock.targets };
  for (const r of raise) {
    const c = targets[r.target];
    if (!c) continue;
    targets[r.target] =
      r.kind === "warning" ? { ...c, warnedAt: now.toISOString() } : { ...c, breachedAt: now.toISOString() };
  }
  return { ...clock, targets };
}
