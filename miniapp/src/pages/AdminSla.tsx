import { useState } from "react";
import { useApp } from "../app-context.js";
import { formatNumber, localName } from "../format.js";
import { t } from "../i18n.js";
import { unwrap } from "../remote/client.js";
import { queryKeys } from "../remote/query-client.js";
import { noContent, useChange, useResource } from "../remote/resource.js";
import { ErrorRetry, errorText } from "../states.js";
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
  const policyList = useResource(queryKeys.slaPolicies, (client) => unwrap(client["sla-policies"].$get()));
  const calendarList = useResource(queryKeys.businessCalendars, (client) =>
    unwrap(client["business-calendars"].$get()),
  );
  const policies: PolicyDto[] = policyList.data ?? [];
  const calendars: CalendarDto[] = calendarList.data ?? [];
  const del = useChange(
    (client, what: { kind: "policy" | "calendar"; id: string }) =>
      noContent(
        what.kind === "policy"
          ? client["sla-policies"][":id"].$delete({ param: { id: what.id } })
          : client["business-calendars"][":id"].$delete({ param: { id: what.id } }),
      ),
    [queryKeys.slaPolicies, queryKeys.businessCalendars],
  );
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);
  const failed = policyList.isError ? policyList : calendarList.isError ? calendarList : null;

  const done = () => setEditing(null);
  const remove = async (what: { kind: "policy" | "calendar"; id: string }) => {
    setError(null);
    try {
      await del.mutateAsync(what);
      haptic("success");
    } catch (e) {
      haptic("error");
      setError(errorText(e));
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
  const rowButtons = (id: string, kind: "policy" | "calendar") => (
    <>
      <button type="button" className="secondary" onClick={() => setEditing(editing === id ? null : id)}>
        {t("admin.edit")}
      </button>
      <button type="button" className="secondary" onClick={() => void remove({ kind, id })}>
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
      {failed && <ErrorRetry error={failed.error} onRetry={() => void failed.refetch()} />}
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
            {rowButtons(p.id, "policy")}
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
            {rowButtons(c.id, "calendar")}
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
