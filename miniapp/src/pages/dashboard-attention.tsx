import { useApp } from "../app-context.js";
import { formatDate, formatNumber } from "../format.js";
import { t } from "../i18n.js";
import type { QueueFilters } from "./queue-filters.js";

/** GET /api/reports/summary's `attention` (server/domain/reports/attention.ts). */
export interface AttentionDto {
  unassigned: number;
  atRisk: number;
  breached: number;
  oldestWaiting: { id: string; number: string; title: string; createdAt: string } | null;
}

const UNFINISHED = "open,in_progress,waiting_customer";

/**
 * Each row opens the queue with the very filter the server counted it with, so the
 * list that opens has as many tickets as the row says.
 */
const FILTERS: Record<"unassigned" | "atRisk" | "breached" | "oldest", Partial<QueueFilters>> = {
  unassigned: { assigneeId: "none", status: UNFINISHED },
  atRisk: { sla: "at_risk", status: UNFINISHED },
  breached: { sla: "breached", status: UNFINISHED },
  oldest: { status: "open,in_progress", sort: "created_asc" },
};

/** The dashboard's "needs attention": unassigned, at risk, breached, oldest waiting. */
export function NeedsAttention({ attention }: { attention: AttentionDto }) {
  const { lang, open } = useApp();
  const rows = [
    { key: "unassigned", n: attention.unassigned },
    { key: "atRisk", n: attention.atRisk },
    { key: "breached", n: attention.breached },
  ] as const;
  const oldest = attention.oldestWaiting;
  return (
    <section className="attention" aria-labelledby="attention-title">
      <h2 id="attention-title">{t("dashboard_attention.title")}</h2>
      <ul className="list">
        {rows.map(({ key, n }) => (
          <li key={key}>
            <button
              type="button"
              className={n > 0 ? `attention-row attention-${key} hot` : `attention-row attention-${key}`}
              data-attention={key}
              onClick={() => open({ name: "queue", filter: FILTERS[key] })}
            >
              <span className="row-title">{t(`dashboard_attention.${key}`)}</span>
              <span className="attention-count">{formatNumber(n, lang)}</span>
            </button>
          </li>
        ))}
        <li>
          <button
            type="button"
            className="attention-row attention-oldest"
            data-attention="oldest"
            disabled={!oldest}
            onClick={() => open({ name: "queue", filter: FILTERS.oldest })}
          >
            <span className="row-main">
              <span className="row-title">{t("dashboard_attention.oldest")}</span>
              <span className="row-sub">
                {oldest
                  ? t("dashboard_attention.oldest_since", {
                      number: oldest.number,
                      title: oldest.title,
                      time: formatDate(oldest.createdAt, lang),
                    })
                  : t("dashboard_attention.none_waiting")}
              </span>
            </span>
          </button>
        </li>
      </ul>
    </section>
  );
}
