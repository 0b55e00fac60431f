import type { SlaClock, SlaPolicy, SlaState, SlaTarget } from "../../../drizzle/schema/index.js";
import { addCountedTime, type CalendarHours, type Pause } from "./business-time.js";

const MINUTE = 60_000;

/** The targets of a policy, in minutes (a null target is not tracked). */
export type PolicyTargets = Pick<
  SlaPolicy,
  "firstResponseMinutes" | "nextResponseMinutes" | "resolutionMinutes" | "warnPercent" | "warnMinutes"
>;

export const minutesOf = (policy: PolicyTargets, target: SlaTarget): number | null =>
  target === "first_response"
    ? policy.firstResponseMinutes
    : target === "next_response"
      ? policy.nextResponseMinutes
      : policy.resolutionMinutes;

/** How long before its due time a target warns: warnMinutes when set, else warnPercent of it. */
export function warnLeadMs(policy: PolicyTargets, minutes: number): number {
  const lead = policy.warnMinutes ?? (minutes * policy.warnPercent) / 100;
  return Math.min(lead, minutes) * MINUTE;
}

/** A running target, timed. due/warnAt null: the clock stands still before reaching them. */
export interface TimedTarget {
  target: SlaTarget;
  due: Date | null;
  warnAt: Date | null;
  warned: boolean;
  breached: boolean;
}

/** What a clock says at an instant. */
export interface ClockReading {
  running: TimedTarget[];
  state: SlaState;
  /** What is due to be raised now (a breach makes its warning moot). */
  raise: { target: SlaTarget; kind: "warning" | "breach" }[];
  /** When the clock next has something to raise (the sla_check job's time), or null. */
  nextCheckAt: Date | null;
}

export const pausesOf = (clock: SlaClock): Pause[] =>
  clock.pauses.map((p) => ({ from: Date.parse(p.from), to: p.to === null ? null : Date.parse(p.to) }));

/**
 * Reads a ticket's clock under a policy and calendar (null: wall time) at `now`:
 * each running target's due and warning times, the ticket's state, what must be
 * raised, and when to look again. Pure: the same inputs give the same reading, so
 * a policy or calendar edit simply reads every clock again.
 */
export function readClock(
  clock: SlaClock,
  policy: PolicyTargets,
  cal: CalendarHours | null,
  now: Date,
): ClockReading {
  const pauses = pausesOf(clock);
  const t = now.getTime();
  const running: TimedTarget[] = [];
  let late = false;
  for (const [target, c] of Object.entries(clock.targets) as [
    SlaTarget,
    NonNullable<SlaClock["targets"][SlaTarget]>,
  ][]) {
    const minutes = minutesOf(policy, target);
    if (minutes === null) continue;
    if (c.state !== "running") {
      if (c.state !== "met") late = true;
      continue;
    }
    const start = Date.parse(c.startedAt);
    const due = addCountedTime(start, minutes * MINUTE, cal, pauses);
    const warnAt = addCountedTime(start, minutes * MINUTE - warnLeadMs(policy, minutes), cal, pauses);
    running.push({
      target,
      due: due === null ? null : new Date(due),
      warnAt: warnAt === null ? null : new Date(warnAt),
      warned: Boolean(c.warnedAt),
      breached: Boolean(c.breachedAt),
    });
  }
  const overdue = running.some((r) => r.due && r.due.getTime() <= t);
  const atRisk = running.some((r) => r.warnAt && r.warnAt.getTime() <= t);
  const state: SlaState =
    late || overdue
      ? "breached"
      : atRisk
        ? "at_risk"
        : running.length
          ? "on_track"
          : endedState(clock, policy);

  const raise: ClockReading["raise"] = [];
  let next = Number.POSITIVE_INFINITY;
  for (const r of running) {
    if (r.due && !r.breached) {
      if (r.due.getTime() <= t) raise.push({ target: r.target, kind: "breach" });
      else next = Math.min(next, r.due.getTime());
    }
    if (r.warnAt && !r.warned && !r.breached && !(r.due && r.due.getTime() <= t)) {
      if (r.warnAt.getTime() <= t) raise.push({ target: r.target, kind: "warning" });
      else next = Math.min(next, r.warnAt.getTime());
    }
  }
  return {
    running,
    state,
    raise,
    nextCheckAt: raise.length ? now : Number.isFinite(next) ? new Date(next) : null,
  };
}

/** No target running: met when the policy tracked something that ended in time, else none. */
function endedState(clock: SlaClock, policy: PolicyTargets): SlaState {
  const tracked = Object.keys(clock.targets).some((k) => minutesOf(policy, k as SlaTarget) !== null);
  return tracked ? "met" : "none";
}

/** The due column of each target (null when not running or standing still). */
export function dueColumns(reading: ClockReading) {
  const due = (target: SlaTarget) => reading.running.find((r) => r.target === target)?.due ?? null;
  return {
    firstResponseDueAt: due("first_response"),
    nextResponseDueAt: due("next_response"),
    resolutionDueAt: due("resolution"),
  };
}
