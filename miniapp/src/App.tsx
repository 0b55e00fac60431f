import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { ADMIN_SECTIONS, AppContext, type AppState, isAdminRole, isStaff } from "./app-context.js";
import { loadLaterTexts, t } from "./i18n.js";
import { Queue } from "./pages/Queue.js";
import { useApi } from "./remote/api-context.js";
import type { Me, MetaData } from "./remote/client.js";
import { unwrap } from "./remote/client.js";
import { useLiveUpdates } from "./remote/live.js";
import { queryKeys } from "./remote/query-client.js";
import { useStackRouter } from "./router.js";
import { OfflineNotice, ScreenSkeleton } from "./states.js";

// The queue is the first screen and comes with the app; every other screen is fetched
// when first opened, with the rest of the texts, so the first screen's JavaScript stays
// small (docs/MINIAPP.md).
const withTexts =
  <M,>(load: () => Promise<M>) =>
  () =>
    Promise.all([load(), loadLaterTexts()]).then(([m]) => m);
const TicketScreen = lazy(
  withTexts(() => import("./pages/ticket/TicketScreen.js").then((m) => ({ default: m.TicketScreen }))),
);
const NewTicket = lazy(
  withTexts(() => import("./pages/NewTicket.js").then((m) => ({ default: m.NewTicket }))),
);
const Dashboard = lazy(
  withTexts(() => import("./pages/Dashboard.js").then((m) => ({ default: m.Dashboard }))),
);
const FailedNotifications = lazy(
  withTexts(() => import("./pages/Dashboard.js").then((m) => ({ default: m.FailedNotifications }))),
);
const ReportsPage = lazy(
  withTexts(() => import("./pages/Reports.js").then((m) => ({ default: m.ReportsPage }))),
);
const Settings = lazy(withTexts(() => import("./pages/Settings.js").then((m) => ({ default: m.Settings }))));
const AdminUsers = lazy(
  withTexts(() => import("./pages/AdminUsers.js").then((m) => ({ default: m.AdminUsers }))),
);
const AdminCatalog = lazy(
  withTexts(() => import("./pages/AdminCatalog.js").then((m) => ({ default: m.AdminCatalog }))),
);
const AdminRules = lazy(
  withTexts(() => import("./pages/AdminRules.js").then((m) => ({ default: m.AdminRules }))),
);
const AdminSettings = lazy(
  withTexts(() => import("./pages/AdminSettings.js").then((m) => ({ default: m.AdminSettings }))),
);
const AdminSla = lazy(withTexts(() => import("./pages/AdminSla.js").then((m) => ({ default: m.AdminSla }))));
const AdminAssignment = lazy(
  withTexts(() => import("./pages/AdminAssignment.js").then((m) => ({ default: m.AdminAssignment }))),
);
const DeliveryBacklog = lazy(
  withTexts(() => import("./pages/admin/DeliveryBacklog.js").then((m) => ({ default: m.DeliveryBacklog }))),
);
const ScheduledReports = lazy(
  withTexts(() => import("./pages/admin/ScheduledReports.js").then((m) => ({ default: m.ScheduledReports }))),
);
const LivePage = lazy(
  withTexts(() => import("./pages/live/LivePage.js").then((m) => ({ default: m.LivePage }))),
);
const AuditLog = lazy(
  withTexts(() => import("./pages/admin/AuditLog.js").then((m) => ({ default: m.AuditLog }))),
);

/** Navigation, live updates and the deep link; pages do the rest. */
export function App({
  me,
  meta: bootMeta,
  startParam,
}: {
  me: Me;
  meta: MetaData;
  startParam: string | null;
}) {
  const { client } = useApi();
  // Categories, labels and branches as every screen draws them: fetched again after an admin
  // changes the catalog, so a rename shows in the queue and tickets without reopening the app.
  const metaQuery = useQuery({
    queryKey: queryKeys.meta,
    queryFn: async (): Promise<MetaData> => await unwrap(client.meta.$get()),
    initialData: bootMeta,
  });
  const meta = metaQuery.data;
  const reloadMeta = metaQuery.refetch;
  const router = useStackRouter(startParam);
  const { route, open, replace, back, reset, remembered, remember } = router;
  // The rest of the texts: asked for once the queue has had its moment (3 s), or at once
  // when another screen opens (its own loader waits for them too); the admin
  // sub-navigation's names are among them, so the bar is drawn again once they are in.
  const [, setLaterTexts] = useState(false);
  const onQueue = route.name === "queue";
  useEffect(() => {
    const load = () =>
      void loadLaterTexts()
        .then(() => setLaterTexts(true))
        .catch(() => {});
    if (!onQueue) return load();
    const timer = setTimeout(load, 3000);
    return () => clearTimeout(timer);
  }, [onQueue]);
  // Change events mark cached queries stale (remote/live.ts); no screen keeps a counter.
  useLiveUpdates();

  const state: AppState = useMemo(
    () => ({
      me,
      meta,
      reloadMeta: () => void reloadMeta(),
      lang: me.language,
      open,
      replace,
      back,
      remembered,
      remember,
    }),
    [me, meta, reloadMeta, open, replace, back, remembered, remember],
  );
  return (
    <AppContext.Provider value={state}>
      <nav className="nav">
        <button
          type="button"
          className={route.name === "queue" ? "active" : ""}
          onClick={() => reset({ name: "queue" })}
        >
          {t("nav.queue")}
        </button>
        {isStaff(me) && (
          <button
            type="button"
            className={route.name === "dashboard" ? "active" : ""}
            onClick={() => reset({ name: "dashboard" })}
          >
            {t("nav.dashboard")}
          </button>
        )}
        <button
          type="button"
          data-nav-live
          className={route.name === "live" ? "active" : ""}
          onClick={() => reset({ name: "live" })}
        >
          {isStaff(me) ? t("live.nav") : t("live.chat.nav")}
        </button>
        {isStaff(me) && (
          <button
            type="button"
            className={route.name === "reports" ? "active" : ""}
            onClick={() => reset({ name: "reports" })}
          >
            {t("reports.nav")}
          </button>
        )}
        {(isAdminRole(me) || me.role === "moderator") && (
          <button
            type="button"
            className={route.name === "admin" ? "active" : ""}
            onClick={() => reset({ name: "admin", section: "users" })}
          >
            {t("nav.admin")}
          </button>
        )}
        <button
          type="button"
          className={route.name === "settings" ? "active" : ""}
          onClick={() => reset({ name: "settings" })}
        >
          {t("nav.settings")}
        </button>
      </nav>
      <OfflineNotice />
      <main>
        <Suspense fallback={<ScreenSkeleton />}>
          {route.name === "queue" && (
            <Queue
              status={route.status}
              filter={route.filter}
              key={`${route.status ?? ""}${JSON.stringify(route.filter ?? {})}`}
            />
          )}
          {route.name === "new" && <NewTicket />}
          {route.name === "ticket" && (
            <TicketScreen id={route.id} number={route.number} key={route.id ?? route.number} />
          )}
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
                      onClick={() => reset({ name: "admin", section })}
                    >
                      {section === "failed"
                        ? t("nav.failed")
                        : section === "rules"
                          ? t("rules.nav")
                          : section === "assignment"
                            ? t("assignment.section")
                            : section === "scheduled_reports"
                              ? t("reportDelivery.scheduled_nav")
                              : section === "audit"
                                ? t("audit.nav")
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
              {route.section === "scheduled_reports" && isAdminRole(me) && <ScheduledReports />}
              {route.section === "audit" && isAdminRole(me) && <AuditLog />}
              {(route.section === "branches" ||
                route.section === "categories" ||
                route.section === "labels") && <AdminCatalog kind={route.section} key={route.section} />}
            </>
          )}
          {route.name === "settings" && <Settings />}
          {route.name === "live" && <LivePage />}
        </Suspense>
      </main>
    </AppContext.Provider>
  );
}
