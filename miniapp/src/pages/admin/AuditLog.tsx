import { useCallback, useEffect, useState } from "react";
import { api, messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { formatDate, personLabel } from "../../format.js";
import { t } from "../../i18n.js";
import type { Person } from "../../remote/client.js";
import { haptic } from "../../telegram.js";
import {
  type AuditEntryDto,
  type AuditFilters,
  type AuditPageDto,
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
  const [filters, setFilters] = useState<AuditFilters>(NO_AUDIT_FILTERS);
  const [items, setItems] = useState<AuditEntryDto[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [people, setPeople] = useState<Person[]>([]);
  const [entities, setEntities] = useState<string[]>([]);

  useEffect(() => {
    void api<Person[]>("GET", `/api/users?limit=200&role=${ACTOR_ROLES}`)
      .then(setPeople)
      .catch(() => {});
    void api<string[]>("GET", "/api/audit/entities")
      .then(setEntities)
      .catch(() => {});
  }, []);

  const load = useCallback(
    async (after: string | null) => {
      const p = auditQuery(filters);
      p.set("limit", "30");
      if (after) p.set("cursor", after);
      try {
        const page = await api<AuditPageDto>("GET", `/api/audit?${p}`);
        setItems((old) => (after && old ? [...old, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [filters],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

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
          downloadAuditCsv(filters).then(
            () => haptic("success"),
            (e) => setError(messageOf(e)),
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
        <button type="button" className="secondary audit-more" onClick={() => void load(cursor)}>
          {t("audit.more")}
        </button>
      )}
    </div>
  );
}

/** One change: who, what, when; before and after on tap. */
function AuditRow({ entry: e, lang }: { entry: AuditEntryDto; lang: string }) {
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
