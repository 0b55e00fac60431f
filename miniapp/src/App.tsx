import { useCallback, useEffect, useMemo, useState } from "react";
import { api, currentAccessToken, type Me, type MetaDto, messageOf, refresh, type TicketDto } from "./api.js";
import {
  ADMIN_SECTIONS,
  AppContext,
  type AppState,
  isAdminRole,
  isStaff,
  type Route,
} from "./app-context.js";
import { t } from "./i18n.js";
import { AdminAssignment } from "./pages/AdminAssignment.js";
import { AdminCatalog } from "./pages/AdminCatalog.js";
import { AdminRules } from "./pages/AdminRules.js";
import { AdminSettings } from "./pages/AdminSettings.js";
import { AdminSla } from "./pages/AdminSla.js";
import { AdminUsers } from "./pages/AdminUsers.js";
import { DeliveryBacklog } from "./pages/admin/DeliveryBacklog.js";
import { Dashboard, FailedNotifications } from "./pages/Dashboard.js";
import { LivePage } from "./pages/live/LivePage.js";
import { NewTicket } from "./pages/NewTicket.js";
import { Queue } from "./pages/Queue.js";
import { ReportsPage } from "./pages/Reports.js";
import { Settings } from "./pages/Settings.js";
import { TicketView } from "./pages/TicketView.js";
import { bindBackButton } from "./telegram.js";

/** Navigation, live updates and the deep link; pages do the rest. */
export function App({
  me,
  meta: bootMeta,
  startParam,
}: {
  me: Me;
  meta: MetaDto;
  startParam: string | null;
}) {
  // Categories, labels and branches as every screen draws them: fetched again after an admin
  // changes the catalog, so a rename shows in the queue and tickets without reopening the app.
  const [meta, setMeta] = useState(bootMeta);
  const reloadMeta = useCallback(() => {
    void api<MetaDto>("GET", "/api/meta")
      .then(setMeta)
      .catch(() => {});
  }, []);
  const [stack, setStack] = useState<Route[]>([{ name: "queue" }]);
  const [version, setVersion] = useState(0);
  /** A message for the whole app (a deep link that led nowhere). */
  const [notice, setNotice] = useState<string | null>(null);
  const route = stack[stack.length - 1];
  const open = useCallback((r: Route) => setStack((s) => [...s, r]), []);
  const replace = useCallback((r: Route) => setStack((s) => [...s.slice(0, -1), r]), []);
  const back = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);

  // Telegram's BackButton walks back through the screens.
  useEffect(() => bindBackButton(stack.length > 1 ? back : null), [stack.length, back]);

  // `startapp=t_<number>` opens that ticket.
  useEffect(() => {
    if (!startParam?.startsWith("t_")) return;
    const number = startParam.slice(2);
    api<{ items: TicketDto[] }>("GET", `/api/tickets?q=${encodeURIComponent(number)}&limit=5`)
      .then((page) => {
        const found = page.items.find((tk) => tk.number === number);
        if (found) open({ name: "ticket", id: found.id });
        else setNotice(t("deeplink.not_found", { number }));
      })
      .catch((e) => setNotice(messageOf(e)));
  }, [startParam, open]);

  // Live: every change in scope bumps the version, and open pages refetch.
  useEffect(() => {
    // The stream carries the access token in its URL (EventSource sends no headers) and
    // the server ends it when that token expires: reconnect with a fresh one, and catch
    // up on what changed meanwhile.
    let source: EventSource | null = null;
    let stopped = false;
    const bump = () => setVersion((v) => v + 1);
    const connect = () => {
      source = new EventSource(`/api/events?access_token=${encodeURIComponent(currentAccessToken())}`);
      for (const type of ["ticket.created", "ticket.updated", "message.created"])
        source.addEventListener(type, bump);
      source.onerror = () => {
        source?.close();
        if (stopped) return;
        setTimeout(() => {
          if (stopped) return;
          void refresh().finally(() => {
            if (stopped) return;
            bump();
            connect();
          });
        }, 2000);
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
    };
  }, []);

  const state: AppState = useMemo(
    () => ({ me, meta, reloadMeta, lang: me.language, version, open, replace, back }),
    [me, meta, reloadMeta, version, open, replace, back],
  );
  return (
    <AppContext.Provider value={state}>
      <nav className="nav">
        <button
          type="button"
          className={route.name === "queue" ? "active" : ""}
          onClick={() => setStack([{ name: "queue" }])}
        >
          {t("nav.queue")}
        </button>
        {isStaff(me) && (
          <button
            type="button"
            className={route.name === "dashboard" ? "active" : ""}
            onClick={() => setStack([{ name: "dashboard" }])}
          >
            {t("nav.dashboard")}
          </button>
        )}
        {isStaff(me) && (
          <button
            type="button"
            data-nav-live
            className={route.name === "live" ? "active" : ""}
            onClick={() => setStack([{ name: "live" }])}
          >
            {t("live.nav")}
          </button>
        )}
        {isStaff(me) && (
          <button
            type="button"
            className={route.name === "reports" ? "active" : ""}
            onClick={() => setStack([{ name: "reports" }])}
          >
            {t("reports.nav")}
          </button>
        )}
        {(isAdminRole(me) || me.role === "moderator") && (
          <button
            type="button"
            className={route.name === "admin" ? "active" : ""}
            onClick={() => setStack([{ name: "admin", section: "users" }])}
          >
            {t("nav.admin")}
          </button>
        )}
        <button
          type="button"
          className={route.name === "settings" ? "active" : ""}
          onClick={() => setStack([{ name: "settings" }])}
        >
          {t("nav.settings")}
        </button>
      </nav>
      <main>
        {notice && (
          <p className="error" role="alert">
            {notice}
          </p>
        )}
        {route.name === "queue" && (
          <Queue
            status={route.status}
            filter={route.filter}
            key={`${route.status ?? ""}${JSON.stringify(route.filter ?? {})}`}
          />
        )}
        {route.name === "new" && <NewTicket />}
        {route.name === "ticket" && <TicketView id={route.id} key={route.id} />}
        {route.name === "dashboard" && <Dashboard />}
        {route.name === "reports" && isStaff(me) && <ReportsPage />}
        {route.name === "admin" && (
          <>
            {isAdminRole(me) && (
              <div className="subnav">
                {ADMIN_SECTIONS.map((section) => (
                  <button
                    key={section}
                    type="button"
                    className={route.section === section ? "" : "secondary"}
                    onClick={() => setStack([{ name: "admin", section }])}
                  >
                    {section === "failed"
                      ? t("nav.failed")
                      : section === "rules"
                        ? t("rules.nav")
                        : section === "assignment"
                          ? t("assignment.section")
                          : t(`admin.${section}`)}
                  </button>
                ))}
              </div>
            )}
            {route.section === "users" && <AdminUsers />}
            {route.section === "failed" && <FailedNotifications />}
            {route.section === "delivery" && isAdminRole(me) && <DeliveryBacklog />}
            {route.section === "settings" && isAdminRole(me) && <AdminSettings />}
            {route.section === "sla" && isAdminRole(me) && <AdminSla />}
            {route.section === "rules" && isAdminRole(me) && <AdminRules />}
            {route.section === "assignment" && isAdminRole(me) && <AdminAssignment />}
            {(route.section === "branches" ||
              route.section === "categories" ||
              route.section === "labels") && <AdminCatalog kind={route.section} key={route.section} />}
          </>
        )}
        {route.name === "settings" && <Settings />}
        {route.name === "live" && <LivePage />}
      </main>
    </AppContext.Provider>
  );
}
