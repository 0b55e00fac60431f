import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApp } from "../app-context.js";
import { formatDate, formatNumber } from "../format.js";
import { t } from "../i18n.js";
import { useApi } from "../remote/api-context.js";
import { unwrap } from "../remote/client.js";
import { queryKeys } from "../remote/query-client.js";
import { useChange, useResource } from "../remote/resource.js";
import { ErrorRetry, errorText, ListSkeleton, ScreenSkeleton } from "../states.js";
import { haptic } from "../telegram.js";
import { NeedsAttention } from "./dashboard-attention.js";

/** Today's numbers and what needs attention, in the actor's scope, live (an event marks them stale, remote/live.ts). */
export function Dashboard() {
  const { lang, open } = useApp();
  const { client } = useApi();
  const query = useQuery({
    queryKey: queryKeys.dashboard,
    queryFn: () => unwrap(client.reports.summary.$get()),
    // Marked stale by live events; refetched when shown.
    staleTime: 0,
  });
  if (query.isError && !query.data)
    return <ErrorRetry error={query.error} onRetry={() => void query.refetch()} />;
  const summary = query.data;
  if (!summary) return <ScreenSkeleton />;
  const max = Math.max(1, ...Object.values(summary.byStatus));
  return (
    <div className="page">
      <div className="stat-row today-row">
        <div className="stat" data-today="created">
          <span className="stat-number">{formatNumber(summary.createdToday, lang)}</span>
          <span>{t("dashboard.today")}</span>
        </div>
        <div className="stat" data-today="resolved">
          <span className="stat-number">{formatNumber(summary.resolvedToday, lang)}</span>
          <span>{t("dashboard_attention.resolved_today")}</span>
        </div>
      </div>
      <NeedsAttention attention={summary.attention} />
      <h2>{t("dashboard.by_status")}</h2>
      <ul className="bars">
        {Object.entries(summary.byStatus).map(([status, n]) => (
          <li key={status}>
            <button type="button" className="bar-row" onClick={() => open({ name: "queue", status })}>
              <span className="bar-label">{t(`common:status.${status}`)}</span>
              <span className={`bar status-${status}`} style={{ inlineSize: `${(n / max) * 100}%` }} />
              <span className="bar-value" data-status={status}>
                {formatNumber(n, lang)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Admins: notifications Telegram refused, with their error, and a retry. */
export function FailedNotifications() {
  const { lang } = useApp();
  const failed = useResource(
    queryKeys.failedNotifications,
    (client) => unwrap(client.notifications.failed.$get()),
    // A delivery fails without a ticket event: opening the screen asks again.
    { staleTime: 0 },
  );
  // A retried row stays on screen, marked queued, until the list is read again.
  const retry = useChange(
    (client, id: string) => unwrap(client.notifications[":id"].retry.$post({ param: { id } })),
    [],
  );
  const rows = failed.data ?? [];
  const [done, setDone] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="page">
      <h2>{t("failed.title")}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {failed.isPending && <ListSkeleton rows={3} />}
      {failed.isError && <ErrorRetry error={failed.error} onRetry={() => void failed.refetch()} />}
      {failed.isSuccess && rows.length === 0 && <p className="hint">{t("failed.empty")}</p>}
      <ul className="list">
        {rows.map((n) => (
          <li key={n.id} className="failed-row">
            <span className="row-main">
              <span className="row-title">
                {(n.payload as { ticketNumber?: string }).ticketNumber ?? n.type} ·{" "}
                {t(`settings.kind.${n.type}`)}
              </span>
              <span className="row-sub">
                {n.lastError} · {formatDate(n.createdAt, lang)}
              </span>
            </span>
            <button
              type="button"
              className="secondary"
              disabled={done[n.id]}
              onClick={async () => {
                try {
                  await retry.mutateAsync(n.id);
                  haptic("success");
                  setDone((d) => ({ ...d, [n.id]: true }));
                  setError(null);
                } catch (e) {
                  haptic("error");
                  setError(errorText(e));
                }
              }}
            >
              {done[n.id] ? t("failed.queued") : t("failed.retry")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
