import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import "./queue.css";
import { canWork, useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import { EmptyState, ErrorRetry, ListSkeleton } from "../../states.js";
import { haptic } from "../../telegram.js";
import { NO_FILTERS, QueueFilterBar, type QueueFilters } from "../queue-filters.js";
import { PullIndicator, usePullToRefresh } from "./pull-to-refresh.js";
import { QueueRowItem } from "./QueueRowItem.js";
import { useQueueList } from "./use-queue-list.js";
import { useNow, useSettled } from "./use-time.js";
import {
  type QueueView,
  queryOf,
  REQUESTER_VIEWS,
  STAFF_VIEWS,
  savedView,
  saveView,
  type ViewName,
  viewLabelKey,
} from "./views.js";

// Select mode's bar is fetched when select mode first opens: the first screen stays small.
const BulkBar = lazy(() => import("./BulkBar.js").then((m) => ({ default: m.BulkBar })));

/**
 * The queue: saved views as chips (staff), filters, search, rows worth scanning,
 * infinite scroll, pull to refresh, live updates and select mode for bulk actions.
 * A requester sees their own tickets with their own words and no staff controls.
 */
export function Queue({ status: askedStatus, filter }: { status?: string; filter?: Partial<QueueFilters> }) {
  const { me, meta, lang, open, remembered, remember } = useApp();
  const staff = me.role !== "requester";
  const views = staff ? STAFF_VIEWS : REQUESTER_VIEWS;
  // A dashboard or report bar asks for one status or group across the whole scope;
  // otherwise the view left (Back), else the one last chosen on this device.
  const start: QueueView =
    askedStatus || filter
      ? {
          tab: "all",
          filters: { ...NO_FILTERS, ...filter, ...(askedStatus ? { status: askedStatus } : {}) },
          q: "",
        }
      : (remembered<QueueView>("queue") ?? {
          tab: staff ? (savedView(me) ?? "unassigned") : "all",
          filters: NO_FILTERS,
          q: "",
        });
  const [tab, setTab] = useState<ViewName>(views.includes(start.tab) ? start.tab : views[0]);
  const [filters, setFilters] = useState<QueueFilters>(start.filters);
  const [q, setQ] = useState(start.q);
  useEffect(() => remember("queue", { tab, filters, q }), [remember, tab, filters, q]);
  const settledQ = useSettled(q, 200);
  const params = useMemo(
    () => queryOf({ tab, filters, q: settledQ }, me.id),
    [tab, filters, settledQ, me.id],
  );
  const { list, items, sentinel, changesWaiting, showLatest, fromOtherView } = useQueueList(params);
  const pull = usePullToRefresh(showLatest);
  const now = useNow();

  // Select mode: only for those who work tickets, only over the rows of this view.
  const bulkAllowed = canWork(me);
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  // A selection never outlives its view: rows picked on a tab left are not acted on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: cleared whenever the query changes
  useEffect(() => setSelected([]), [params]);
  const toggle = useCallback(
    (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id])),
    [],
  );
  const longPress = useCallback((id: string) => {
    haptic("light");
    setSelecting(true);
    setSelected((s) => (s.includes(id) ? s : [...s, id]));
  }, []);
  const openTicket = useCallback((id: string) => open({ name: "ticket", id }), [open]);
  const choose = (v: ViewName) => {
    setTab(v);
    if (staff) saveView(me, v);
  };

  return (
    <div className="page queue-page">
      <PullIndicator state={pull} />
      {staff ? (
        <div className="tabs queue-views" role="tablist">
          {views.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={tab === k}
              className={tab === k ? "tab active" : "tab"}
              data-view={k}
              onClick={() => choose(k)}
            >
              {t(viewLabelKey(k))}
            </button>
          ))}
        </div>
      ) : (
        <h2 className="queue-heading">{t("queue_view.my_tickets")}</h2>
      )}
      <div className="queue-actions">
        {me.role !== "auditor" && (
          <button type="button" className="new-ticket-button" onClick={() => open({ name: "new" })}>
            {t("queue.new")}
          </button>
        )}
        {bulkAllowed && !selecting && (
          <button type="button" className="secondary" onClick={() => setSelecting(true)}>
            {t("queue_view.select")}
          </button>
        )}
      </div>
      {changesWaiting && (
        <button type="button" className="secondary changes-waiting" onClick={() => void showLatest()}>
          {t("queue.changes_waiting")}
        </button>
      )}
      <div className="filters">
        <input
          type="search"
          aria-label={t(staff ? "filter.search" : "queue_view.search_own")}
          placeholder={t(staff ? "filter.search" : "queue_view.search_own")}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <QueueFilterBar
          filters={filters}
          onChange={setFilters}
          showAssignee={tab === "all" || tab === "escalated"}
        />
      </div>
      {list.isPending && <ListSkeleton />}
      <ul className={fromOtherView ? "list queue-list stale" : "list queue-list"} aria-busy={fromOtherView}>
        {items.map((row) => (
          <li key={row.id}>
            <QueueRowItem
              row={row}
              meta={meta}
              lang={lang}
              staff={staff}
              q={settledQ}
              // Only a waiting row shows the time: the others keep their props and skip the re-render.
              now={staff && row.waitingSince ? now : 0}
              selecting={selecting}
              selected={selected.includes(row.id)}
              inert={fromOtherView}
              onOpen={openTicket}
              onToggle={toggle}
              onLongPress={bulkAllowed ? longPress : undefined}
            />
          </li>
        ))}
      </ul>
      {list.isError && <ErrorRetry error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && !fromOtherView && items.length === 0 && (
        <EmptyState
          title={t(staff ? "queue.empty" : "queue_view.empty_own")}
          hint={
            q || filters !== NO_FILTERS
              ? t("chat.empty_filtered")
              : t(staff ? "chat.empty_queue" : "queue_view.empty_own_hint")
          }
        />
      )}
      <div ref={sentinel} className="queue-sentinel" />
      {list.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void list.fetchNextPage()}>
          {t("queue.more")}
        </button>
      )}
      {selecting && (
        <Suspense fallback={null}>
          <BulkBar
            selected={selected}
            onSelectAll={() => setSelected(items.map((r) => r.id))}
            onDone={() => {
              setSelected([]);
              void showLatest();
            }}
            onCancel={() => {
              setSelecting(false);
              setSelected([]);
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
