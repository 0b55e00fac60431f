import { useState } from "react";
import { messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { formatDate, personLabel } from "../../format.js";
import { t } from "../../i18n.js";
import { useStaffPeople } from "../../remote/admin-queries.js";
import { useApi } from "../../remote/api-context.js";
import { type AuditEntry, useAuditEntities, useAuditPages } from "../../remote/audit-queries.js";
import { haptic } from "../../telegram.js";
import {
  type AuditFilters,
  auditQuery,
  dayFromInput,
  dayInput,
  downloadAuditCsv,
  NO_AUDIT_FILTERS,
  valueText,
} from "./audit-data.js";

/** People who may have changed something: every staff role (admins most of all). */
const ACTOR_ROLES = "agent,moderator,auditor,admin,owner";

/**
 * Admins: who changed what, when (GET /api/audit), newest first; filtered by actor,
 * entity and days; "More" follows the cursor; CSV downloads every entry the filters match.
 */
export function AuditLog() {
  const { lang } = useApp();
  const { session } = useApi();
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  // The CSV's failure; the list's own comes from its query.
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const people = useStaffPeople(ACTOR_ROLES);
  const entities = useAuditEntities();
  const pages = useAuditPages(auditQuery(filters));
  const items = pages.data?.pages.flatMap((p) => p.items) ?? null;
  const cursor = pages.hasNextPage;
  const failed = pages.error ? messageOf(pages.error) : null;
  const error = failed ?? downloadError;

  const set = (patch: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const dayField = (key: "from" | "to") => (
    <label className="field">
      <span>{t(`audit.${key}`)}</span>
      <input
        name={key}
        type={lang === "fa" ? "text" : "date"}
        inputMode={lang === "fa" ? "numeric" : undefined}
        dir="ltr"
        placeholder={lang === "fa" ? "۱۴۰۵/۰۹/۱۶" : undefined}
        defaultValue={filters[key] ? dayInput(filters[key], lang) : ""}
        onBlur={(e) => set({ [key]: dayFromInput(e.currentTarget.value, lang) ?? "" })}
        onChange={(e) => {
          if (lang !== "fa") set({ [key]: dayFromInput(e.currentTarget.value, lang) ?? "" });
        }}
      />
    </label>
  );

  return (
    <div className="page audit">
      <h2>{t("audit.title")}</h2>
      <div className="report-controls audit-filters">
        <label className="field">
          <span>{t("audit.actor")}</span>
          <select
            name="actorId"
            value={filters.actorId}
            onChange={(e) => set({ actorId: e.currentTarget.value })}
          >
            <option value="">{t("audit.anyone")}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {personLabel(p)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("audit.entity")}</span>
          <select
            name="entity"
            value={filters.entity}
            onChange={(e) => set({ entity: e.currentTarget.value })}
          >
            <option value="">{t("audit.any_entity")}</option>
            {entities.map((e) => (
              <option key={e} value={e}>
                {t(`audit.entities.${e}`, { defaultValue: e })}
              </option>
            ))}
          </select>
        </label>
        {dayField("from")}
        {dayField("to")}
      </div>
      <button
        type="button"
        className="secondary audit-csv"
        onClick={() =>
          downloadAuditCsv(session, filters).then(
            () => {
              setDownloadError(null);
              haptic("success");
            },
            (e) => setDownloadError(messageOf(e)),
          )
        }
      >
        {t("audit.csv")}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!items && !error && <p className="hint">{t("loading")}</p>}
      {items?.length === 0 && <p className="hint audit-empty">{t("audit.empty")}</p>}
      <ul className="list">
        {items?.map((e) => (
          <AuditRow key={e.id} entry={e} lang={lang} />
        ))}
      </ul>
      {cursor && (
        <button type="button" className="secondary audit-more" onClick={() => void pages.fetchNextPage()}>
          {t("audit.more")}
        </button>
      )}
    </div>
  );
}

/** One change: who, what, when; before and after on tap. */
function AuditRow({ entry: e, lang }: { entry: AuditEntry; lang: string }) {
  return (
    <li className="audit-row" data-audit-id={e.id} data-action={e.action}>
      <details>
        <summary>
          <span className="row-title">
            <bdi>{e.actorName ?? t("audit.system")}</bdi> · <bdi dir="ltr">{e.action}</bdi>
          </span>
          <span className="row-sub">
            {t(`audit.entities.${e.entity}`, { defaultValue: e.entity })}
            {e.entityId && (
              <>
                {" · "}
                <bdi dir="ltr">{e.entityId}</bdi>
              </>
            )}
            {" · "}
            {formatDate(e.createdAt, lang)}
          </span>
        </summary>
        <dl className="audit-change">
          <dt>{t("audit.before")}</dt>
          <dd dir="ltr">{valueText(e.before)}</dd>
          <dt>{t("audit.after")}</dt>
          <dd dir="ltr">{valueText(e.after)}</dd>
        </dl>
      </details>
    </li>
  );
}
