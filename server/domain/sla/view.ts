import type { SlaState, Ticket } from "../../../drizzle/schema/index.js";

/** A ticket's SLA as the API, the Mini App and the bot's staff card show it. */
export interface SlaView {
  state: SlaState;
  /** Due times of the targets still running (null: met, not tracked, or paused). */
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
}

type SlaColumns = Pick<Ticket, "slaState" | "firstResponseDueAt" | "nextResponseDueAt" | "resolutionDueAt">;

/**
 * The stored state, made current: a running target whose due time passed is
 * breached even before the scheduler's job for it ran (it runs within seconds,
 * but a screen may ask in between). The due columns hold only running targets.
 */
export function slaViewOf(t: SlaColumns, now: Date): SlaView {
  const dues = [t.firstResponseDueAt, t.nextResponseDueAt, t.resolutionDueAt];
  const overdue = dues.some((d) => d !== null && d.getTime() <= now.getTime());
  return {
    state: overdue ? "breached" : t.slaState,
    firstResponseDueAt: t.firstResponseDueAt?.toISOString() ?? null,
    nextResponseDueAt: t.nextResponseDueAt?.toISOString() ?? null,
    resolutionDueAt: t.resolutionDueAt?.toISOString() ?? null,
  };
}

/** The earliest due time still running (what a badge counts down to), or null. */
export function nextSlaDue(t: SlaColumns): Date | null {
  const dues = [t.firstResponseDueAt, t.nextResponseDueAt, t.resolutionDueAt].filter(
    (d): d is Date => d !== null,
  );
  return dues.length ? new Date(Math.min(...dues.map((d) => d.getTime()))) : null;
}
