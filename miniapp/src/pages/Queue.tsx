import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useApp } from "../app-context.js";
import { formatDate } from "../format.js";
import { t } from "../i18n.js";
import { useApi } from "../remote/api-context.js";
import { type QueueRow, unwrap } from "../remote/client.js";
import { queryKeys } from "../remote/query-client.js";
import { SlaBadge } from "../sla-badge.js";
import { EmptyState, ErrorRetry, ListSkeleton } from "../states.js";
import { NO_FILTERS, QueueFilterBar, type QueueFilters } from "./queue-filters.js";

type Tab = "unassigned" | "mine" | "all" | "escalated";
const UNFINISHED = ["open", "in_progress", "waiting_customer"];
/** The view someone left the queue in (tab, filters, search), kept by the router for Back. */
type View = { tab: Tab; filters: QueueFilters; q: string };

/** The list's query string for a view: the API's parameters. */
function queryOf(view: View, meId: string): Record<string, string> {
  const { tab, filters: f, q } = view;
  const p: Record<string, string> = { limit: "20", sort: f.sort };
  if (tab === "unassigned") p.assigneeId = "none";
  else if (tab === "mine") p.assigneeId = meId;
  else if (f.assigneeId) p.assigneeId = f.assigneeId;
  if (tab === "escalated") p.escalated = "true";
  if (f.sla) p.sla = f.sla;
  if (f.status) p.status = f.status;
  // Unassigned means work nobody has taken: finished tickets do not pile up there.
  else if (tab === "unassigned") p.status = UNFINISHED.join(",");
  if (f.priority) p.priority = f.priority;
  if (f.categoryId) p.categoryId = f.categoryId;
  if (f.branchId) p.branchId = f.branchId;
  if (f.labelId) p.labelId = f.labelId;
  if (q.trim()) p.q = q.trim();
  return p;
}

/** Waits until typing pauses, so a search is one request, not one per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The queue: tabs, filters, sort, search, infinite scroll; live. */
export function Queue({ status: askedStatus, filter }: { status?: string; filter?: Partial<QueueFilters> }) {
  const { me, lang, open, remembered, remember } = useApp();
  const { client } = useApi();
  // A requester's queue is their own tickets: the assignment tabs mean nothing to them.
  const staff = me.role !== "requester";
  // Escalated: tickets a breached SLA escalated that are still being worked (staff only).
  const tabs: Tab[] = staff ? ["unassigned", "mine", "all", "escalated"] : ["all"];
  // A dashboard or report bar asks for one status or group across the whole scope; otherwise the last view.
  const start: View =
    askedStatus || filter
      ? {
          tab: "all",
          filters: { ...NO_FILTERS, ...filter, ...(askedStatus ? { status: askedStatus } : {}) },
          q: "",
        }
      : (remembered<View>("queue") ?? { tab: staff ? "unassigned" : "all", filters: NO_FILTERS, q: "" });
  const [tab, setTab] = useState<Tab>(start.tab);
  const [filters, setFilters] = useState<QueueFilters>(start.filters);
  const [q, setQ] = useState(start.q);
  useEffect(() => remember("queue", { tab, filters, q }), [remember, tab, filters, q]);
  const settledQ = useSettled(q, 200);
  const params = useMemo(
    () => queryOf({ tab, filters, q: settledQ }, me.id),
    [tab, filters, settledQ, me.id],
  );
  const queries = useQueryClient();
  const listKey = queryKeys.list(JSON.stringify(params));
  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      unwrap(
        client.tickets.$get({ query: { ...params, ...(pageParam ? { cursor: pageParam } : {}) } as never }),
      ),
    initialPageParam: "",
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Fresh until a live event marks it stale (data/live.ts); then the effect below decides.
    staleTime: Number.POSITIVE_INFINITY,
  });
  const pages = list.data?.pages.length ?? 0;
  // A live change while someone has scrolled past the first page does not pull the list
  // from under them: a button offers the fresh first page instead.
  const [changesWaiting, setChangesWaiting] = useState(false);
  const { isStale, isFetching, isSuccess, refetch } = list;
  useEffect(() => {
    // Only a list that loaded and was since marked stale: a failed one waits for Retry
    // (it has no data, so it counts as stale too, and refetching it here would loop).
    if (!isSuccess || !isStale || isFetching) return;
    if (pages > 1) setChangesWaiting(true);
    else void refetch();
  }, [isSuccess, isStale, isFetching, pages, refetch]);
  const showLatest = () => {
    window.scrollTo({ top: 0 });
    setChangesWaiting(false);
    // Only the first page again (a reset drops the others): the rest loads as one scrolls.
    void queries.resetQueries({ queryKey: listKey, exact: true });
  };
  const items: QueueRow[] = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, fetchNextPage, isFetchingNextPage } = list;
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver(
      (entries) =>
        entries.some((e) => e.isIntersecting) && hasNextPage && !isFetchingNextPage && void fetchNextPage(),
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div className="page">
      <div className="tabs" role="tablist">
        {tabs.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? "tab active" : "tab"}
            onClick={() => setTab(k)}
          >
            {t(k === "escalated" ? "sla.tab_escalated" : `tabs.${k}`)}
          </button>
        ))}
      </div>
      {me.role !== "auditor" && (
        <button type="button" className="new-ticket-button" onClick={() => open({ name: "new" })}>
          {t("queue.new")}
        </button>
      )}
      {changesWaiting && (
        <button type="button" className="secondary changes-waiting" onClick={showLatest}>
          {t("queue.changes_waiting")}
        </button>
      )}
      <div className="filters">
        <input
          type="search"
          aria-label={t("filter.search")}
          placeholder={t("filter.search")}
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
      <ul className="list">
        {items.map((tk) => (
          <li key={tk.id}>
            <button
              type="button"
              className="row"
              data-ticket={tk.number}
              onClick={() => open({ name: "ticket", id: tk.id })}
            >
              <span className={`dot status-${tk.status}`} />
              <span className="row-main">
                <span className="row-title" dir="auto">
                  {tk.title}
                </span>
                <span className="row-sub">
                  <bdi>{tk.number}</bdi> · {t(`common:status.${tk.status}`)} ·{" "}
                  {t(`common:priority.${tk.priority}`)} · {formatDate(tk.updatedAt, lang)}
                </span>
              </span>
              <SlaBadge sla={tk.sla} lang={lang} />
            </button>
          </li>
        ))}
      </ul>
      {list.isError && <ErrorRetry error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && items.length === 0 && (
        <EmptyState
          title={t("queue.empty")}
          hint={q || filters !== NO_FILTERS ? t("chat.empty_filtered") : t("chat.empty_queue")}
        />
      )}
      <div ref={sentinel} />
      {hasNextPage && (
        <button type="button" className="secondary" onClick={() => void fetchNextPage()}>
          {t("queue.more")}
        </button>
      )}
    </div>
  );
}
