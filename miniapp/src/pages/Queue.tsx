import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, type TicketDto } from "../api.js";
import { useApp } from "../app-context.js";
import { formatDate } from "../format.js";
import { t } from "../i18n.js";
import { SlaBadge } from "../sla-badge.js";
import { NO_FILTERS, QueueFilterBar, type QueueFilters } from "./queue-filters.js";

type Tab = "unassigned" | "mine" | "all" | "escalated";
const UNFINISHED = ["open", "in_progress", "waiting_customer"];

/**
 * The view someone left the queue in (tab, filters, search): opening a ticket
 * unmounts the queue, and Back should bring them to the same list, not the defaults.
 */
let remembered: { tab: Tab; filters: QueueFilters; q: string } | null = null;

/** The queue: tabs, filters, sort, search, infinite scroll; live. */
export function Queue({ status: askedStatus, filter }: { status?: string; filter?: Partial<QueueFilters> }) {
  const { me, lang, version, open } = useApp();
  // A requester's queue is their own tickets: the assignment tabs mean nothing to them.
  const staff = me.role !== "requester";
  // Escalated: tickets a breached SLA escalated that are still being worked (staff only).
  const tabs: Tab[] = staff ? ["unassigned", "mine", "all", "escalated"] : ["all"];
  // A dashboard or report bar asks for one status or group across the whole scope; otherwise the last view.
  const start =
    askedStatus || filter
      ? {
          tab: "all" as Tab,
          filters: { ...NO_FILTERS, ...filter, ...(askedStatus ? { status: askedStatus } : {}) },
          q: "",
        }
      : (remembered ?? { tab: (staff ? "unassigned" : "all") as Tab, filters: NO_FILTERS, q: "" });
  const [tab, setTab] = useState<Tab>(start.tab);
  const [error, setError] = useState<string | null>(null);
  const [filters, setFilters] = useState<QueueFilters>(start.filters);
  const [q, setQ] = useState(start.q);
  useEffect(() => {
    remembered = { tab, filters, q };
  }, [tab, filters, q]);
  const [items, setItems] = useState<TicketDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const query = useCallback(
    (after?: string) => {
      const f = filters;
      const p = new URLSearchParams({ limit: "20", sort: f.sort });
      if (tab === "unassigned") p.set("assigneeId", "none");
      else if (tab === "mine") p.set("assigneeId", me.id);
      else if (f.assigneeId) p.set("assigneeId", f.assigneeId);
      if (tab === "escalated") p.set("escalated", "true");
      if (f.sla) p.set("sla", f.sla);
      if (f.status) p.set("status", f.status);
      // Unassigned means work nobody has taken: finished tickets do not pile up there.
      else if (tab === "unassigned") p.set("status", UNFINISHED.join(","));
      if (f.priority) p.set("priority", f.priority);
      if (f.categoryId) p.set("categoryId", f.categoryId);
      if (f.branchId) p.set("branchId", f.branchId);
      if (f.labelId) p.set("labelId", f.labelId);
      if (q.trim()) p.set("q", q.trim());
      if (after) p.set("cursor", after);
      return `/api/tickets?${p}`;
    },
    [tab, filters, q, me.id],
  );

  // A live change while someone has scrolled past the first page does not pull the list
  // from under them: a button offers the fresh first page instead.
  const [changesWaiting, setChangesWaiting] = useState(false);
  const shown = useRef({ query: "", pages: 0 });

  /** Replaces the list with the first page of the current query (unless `stale` says it moved on). */
  const firstPage = useCallback(
    async (stale: () => boolean = () => false) => {
      setLoading(true);
      try {
        const page = await api<{ items: TicketDto[]; nextCursor: string | null }>("GET", query());
        if (stale()) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(null);
        setChangesWaiting(false);
        shown.current = { query: query(), pages: 1 };
      } catch (e) {
        if (!stale()) setError(e instanceof ApiError ? e.message : t("error.generic"));
      } finally {
        if (!stale()) setLoading(false);
      }
    },
    [query],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the live-update trigger
  useEffect(() => {
    if (shown.current.query === query() && shown.current.pages > 1) {
      setChangesWaiting(true);
      return;
    }
    let stale = false;
    setLoading(true);
    const timer = setTimeout(() => void firstPage(() => stale), 200);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [firstPage, version]);

  const more = useCallback(async () => {
    if (!cursor || loading) return;
    setLoading(true);
    try {
      const page = await api<{ items: TicketDto[]; nextCursor: string | null }>("GET", query(cursor));
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
      shown.current.pages += 1;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t("error.generic"));
    } finally {
      setLoading(false);
    }
  }, [cursor, loading, query]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void more());
    io.observe(el);
    return () => io.disconnect();
  }, [more]);

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
        <button
          type="button"
          className="secondary changes-waiting"
          onClick={() => {
            window.scrollTo({ top: 0 });
            void firstPage();
          }}
        >
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
                <span className="row-title">{tk.title}</span>
                <span className="row-sub">
                  {tk.number} · {t(`common:status.${tk.status}`)} · {t(`common:priority.${tk.priority}`)} ·{" "}
                  {formatDate(tk.updatedAt, lang)}
                </span>
              </span>
              <SlaBadge sla={tk.sla} lang={lang} />
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!loading && !error && items.length === 0 && <p className="hint">{t("queue.empty")}</p>}
      <div ref={sentinel} />
      {cursor && (
        <button type="button" className="secondary" onClick={() => void more()}>
          {t("queue.more")}
        </button>
      )}
    </div>
  );
}
