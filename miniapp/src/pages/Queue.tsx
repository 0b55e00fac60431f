import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, type TicketDto } from "../api.js";
import { useApp } from "../app-context.js";
import { formatDate } from "../format.js";
import { t } from "../i18n.js";

type Tab = "unassigned" | "mine" | "all";
const UNFINISHED = ["open", "in_progress", "waiting_customer"];

/** The queue: tabs, status/priority filters, search, infinite scroll; live. */
export function Queue() {
  const { me, meta, lang, version, open } = useApp();
  // A requester's queue is their own tickets: the assignment tabs mean nothing to them.
  const staff = me.role !== "requester";
  const tabs: Tab[] = staff ? ["unassigned", "mine", "all"] : ["all"];
  const [tab, setTab] = useState<Tab>(staff ? "unassigned" : "all");
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [priority, setPriority] = useState("");
  const [q, setQ] = useState("");
  const [items, setItems] = useState<TicketDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const query = useCallback(
    (after?: string) => {
      const p = new URLSearchParams({ limit: "20", sort: "updated_desc" });
      if (tab === "unassigned") p.set("assigneeId", "none");
      if (tab === "mine") p.set("assigneeId", me.id);
      if (status) p.set("status", status);
      // Unassigned means work nobody has taken: finished tickets do not pile up there.
      else if (tab === "unassigned") p.set("status", UNFINISHED.join(","));
      if (priority) p.set("priority", priority);
      if (q.trim()) p.set("q", q.trim());
      if (after) p.set("cursor", after);
      return `/api/tickets?${p}`;
    },
    [tab, status, priority, q, me.id],
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
            {t(`tabs.${k}`)}
          </button>
        ))}
      </div>
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
        <select aria-label={t("filter.status")} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{`${t("filter.status")}: ${t("filter.any")}`}</option>
          {meta.statuses.map((s) => (
            <option key={s} value={s}>
              {t(`common:status.${s}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t("filter.priority")}
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
        >
          <option value="">{`${t("filter.priority")}: ${t("filter.any")}`}</option>
          {meta.priorities.map((p) => (
            <option key={p} value={p}>
              {t(`common:priority.${p}`)}
            </option>
          ))}
        </select>
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
