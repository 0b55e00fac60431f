import type { TFunction } from "i18next";
import {
  type Language,
  nextSlaDue,
  type SlaState,
  type SlaTarget,
  slaViewOf,
  type Ticket,
} from "../../server/domain/index.js";
import { formatDate, formatTime } from "./text.js";

type SlaColumns = Pick<Ticket, "slaState" | "firstResponseDueAt" | "nextResponseDueAt" | "resolutionDueAt">;

/** Which target a due time belongs to (the earliest running one, as the badge counts to). */
function targetOf(t: SlaColumns, due: Date): SlaTarget {
  if (t.firstResponseDueAt?.getTime() === due.getTime()) return "first_response";
  if (t.nextResponseDueAt?.getTime() === due.getTime()) return "next_response";
  return "resolution";
}

const dayIn = (d: Date, timeZone: string) => d.toLocaleDateString("en-CA", { timeZone });

/**
 * A due time as an absolute moment ("14:30", or with its date — Jalali in fa — when not
 * today): it reads right however long the message stays on screen, unlike "in 40 min".
 */
export function formatDue(due: Date, now: Date, lang: Language, timeZone: string): string {
  return dayIn(due, timeZone) === dayIn(now, timeZone)
    ? formatTime(due, lang, timeZone)
    : formatDate(due, lang, timeZone);
}

/** The emoji a ticket's SLA state wears in a topic's name (at risk, breached); none otherwise. */
export const SLA_TOPIC_PREFIX: Partial<Record<SlaState, string>> = { at_risk: "⚠️", breached: "🔥" };

/**
 * The SLA line of a staff card: the state and the earliest running due as an absolute
 * time, never a ticking count — the card is edited only when its text changes
 * (staff_threads digest), so a state change edits it and time passing alone does not.
 * null when no SLA applies.
 */
export function slaCardLine(
  ticket: SlaColumns,
  t: TFunction,
  lang: Language,
  timeZone: string,
  now: Date,
): string | null {
  const { state } = slaViewOf(ticket, now);
  if (state === "none") return null;
  if (state === "met") return t("bot:sla.card_met");
  const due = nextSlaDue(ticket);
  if (!due) return t(state === "breached" ? "bot:sla.card_breached" : "bot:sla.card_paused");
  const v = {
    target: t(`bot:sla.target.${targetOf(ticket, due)}`),
    due: formatDue(due, now, lang, timeZone),
  };
  if (state === "breached") return t("bot:sla.card_overdue", v);
  return t(state === "at_risk" ? "bot:sla.card_at_risk" : "bot:sla.card_on_track", v);
}
