import { useEffect, useState } from "react";
import { formatDate, formatNumber } from "./format.js";
import { t } from "./i18n.js";
import type { TicketData } from "./remote/client.js";

/** A ticket's SLA as staff get it (a requester gets null). */
type Sla = NonNullable<TicketData["sla"]>;

const MINUTE = 60_000;

/** The earliest due time still running: what the badge counts down to. */
export function earliestDue(sla: Sla): string | null {
  const dues = [sla.firstResponseDueAt, sla.nextResponseDueAt, sla.resolutionDueAt].filter(
    (d): d is string => d !== null,
  );
  return dues.length ? dues.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) : null;
}

/** "2 h 15 min", "3 d 4 h", "40 min": coarse enough to read at a glance. */
export function formatSpan(ms: number, lang: string): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / MINUTE));
  const n = (v: number) => formatNumber(v, lang);
  if (minutes < 60) return t("sla.span_m", { m: n(minutes) });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const m = minutes % 60;
    return m ? t("sla.span_hm", { h: n(hours), m: n(m) }) : t("sla.span_h", { h: n(hours) });
  }
  const h = hours % 24;
  const d = Math.floor(hours / 24);
  return h ? t("sla.span_dh", { d: n(d), h: n(h) }) : t("sla.span_d", { d: n(d) });
}

/** What the badge says and its colour, at `now`; null when there is nothing to show. */
export function slaBadgeOf(
  sla: Sla,
  now: number,
  lang: string,
): { tone: "ok" | "risk" | "breach" | "met"; text: string; title?: string } | null {
  if (sla.state === "none") return null;
  const due = earliestDue(sla);
  if (!due) {
    if (sla.state === "met") return { tone: "met", text: t("sla.met") };
    if (sla.state === "breached") return { tone: "breach", text: t("sla.breached") };
    return null; // paused: no clock runs, nothing counts down
  }
  const left = Date.parse(due) - now;
  const title = t("sla.due_at", { date: formatDate(due, lang) });
  if (left <= 0) return { tone: "breach", text: t("sla.overdue", { span: formatSpan(left, lang) }), title };
  const tone = sla.state === "breached" ? "breach" : sla.state === "at_risk" ? "risk" : "ok";
  return { tone, text: t("sla.left", { span: formatSpan(left, lang) }), title };
}

/** The current time, moving every half minute so a countdown stays right while it is on screen. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * A ticket's SLA as a badge: colour and text ("2 h 15 min left", "overdue 40 min",
 * "met"), the full due date (Jalali in fa) as its tooltip. Staff only: the API gives
 * a requester no sla, and then nothing is drawn.
 */
export function SlaBadge({ sla, lang }: { sla: Sla | null | undefined; lang: string }) {
  const now = useMinuteClock();
  const badge = sla ? slaBadgeOf(sla, now, lang) : null;
  if (!badge) return null;
  return (
    <span className={`sla-badge sla-${badge.tone}`} title={badge.title} data-sla={badge.tone}>
      {badge.text}
    </span>
  );
}
