import { useCallback, useEffect, useState } from "react";
import { api, messageOf } from "../api.js";
import { useApp } from "../app-context.js";
import { formatNumber, localName } from "../format.js";
import { t } from "../i18n.js";
import { haptic } from "../telegram.js";
import { CalendarForm } from "./admin/CalendarForm.js";
import { SlaPolicyForm } from "./admin/SlaPolicyForm.js";
import { type CalendarDto, hoursOf, type PolicyDto, TARGETS } from "./admin/sla-text.js";

/** "new", an id, or nothing: which row's form is open. */
type Editing = string | null;

/**
 * SLA policies (targets per priority, optionally per category or branch) and the
 * business calendars they may count in: list, add, edit, delete (admins).
 */
export function AdminSla() {
  const { lang, meta } = useApp();
  const [policies, setPolicies] = useState<PolicyDto[]>([]);
  const [calendars, setCalendars] = useState<CalendarDto[]>([]);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    const [p, c] = await Promise.all([
      api<PolicyDto[]>("GET", "/api/sla-policies"),
      api<CalendarDto[]>("GET", "/api/business-calendars"),
    ]);
    setPolicies(p);
    setCalendars(c);
  }, []);
  useEffect(() => {
    reload().catch((e) => setError(messageOf(e)));
  }, [reload]);

  const done = (saved: boolean) => {
    setEditing(null);
    if (saved) void reload();
  };
  const remove = async (path: string) => {
    setError(null);
    try {
      await api("DELETE", path);
      haptic("success");
      await reload();
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    }
  };
  const categoryName = (id: string | null) => {
    const c = meta.categories.find((x) => x.id === id);
    return c ? localName(c.name, lang) : null;
  };
  const branchName = (id: string | null) => {
    const b = meta.branches?.find((x) => x.id === id);
    return b ? localName(b.name, lang) : null;
  };
  const targets = (p: PolicyDto) =>
    TARGETS.filter((k) => p[k] != null)
      .map(
        (k) =>
          `${t(`admin.sla_admin.${k}`)} ${t("admin.sla_admin.hours", { hours: hoursOf(p[k] ?? 0, lang) })}`,
      )
      .join(" · ");
  const rowButtons = (id: string, path: string) => (
    <>
      <button type="button" className="secondary" onClick={() => setEditing(editing === id ? null : id)}>
        {t("admin.edit")}
      </button>
      <button type="button" className="secondary" onClick={() => remove(path)}>
        {t("admin.sla_admin.delete")}
      </button>
    </>
  );

  return (
    <div className="page admin-sla">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h2>{t("admin.sla_admin.policies")}</h2>
      <ul className="list">
        {policies.map((p) => (
          <li key={p.id} className={p.active ? "admin-row sla-policy" : "admin-row sla-policy inactive"}>
            <span className="row-main">
              <span className="row-title" dir="auto">
                {p.name}
              </span>
              <span className="row-sub">
                {[t(`common:priority.${p.priority}`), categoryName(p.categoryId), branchName(p.branchId)]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
              <span className="row-sub">
                {targets(p)}
                {" · "}
                {t(p.businessHours ? "admin.sla_admin.business_time" : "admin.sla_admin.wall_time")}
              </span>
            </span>
            {rowButtons(p.id, `/api/sla-policies/${p.id}`)}
            {editing === p.id && <SlaPolicyForm policy={p} onDone={done} />}
          </li>
        ))}
      </ul>
      {editing === "new-policy" ? (
        <SlaPolicyForm policy={null} onDone={done} />
      ) : (
        <button type="button" onClick={() => setEditing("new-policy")}>
          {t("admin.sla_admin.add_policy")}
        </button>
      )}

      <h2>{t("admin.sla_admin.calendars")}</h2>
      <ul className="list">
        {calendars.map((c) => (
          <li key={c.id} className="admin-row calendar">
            <span className="row-main">
              <span className="row-title" dir="auto">
                {c.name}
              </span>
              <span className="row-sub">
                {branchName(c.branchId) ?? t("admin.sla_admin.default_calendar")} ·{" "}
                <bdi dir="ltr">{c.timeZone}</bdi>
                {" · "}
                {t("admin.sla_admin.holiday_count", { count: formatNumber(c.holidays.length, lang) })}
              </span>
            </span>
            {rowButtons(c.id, `/api/business-calendars/${c.id}`)}
            {editing === c.id && <CalendarForm calendar={c} onDone={done} />}
          </li>
        ))}
      </ul>
      {editing === "new-calendar" ? (
        <CalendarForm calendar={null} onDone={done} />
      ) : (
        <button type="button" onClick={() => setEditing("new-calendar")}>
          {t("admin.sla_admin.add_calendar")}
        </button>
      )}
    </div>
  );
}
