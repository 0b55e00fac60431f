import { useCallback, useEffect, useState } from "react";
import type { AssignmentPolicy } from "../../../drizzle/schema/index.js";
import { api, messageOf, type Wire } from "../api.js";
import { useApp } from "../app-context.js";
import { localName } from "../format.js";
import { t } from "../i18n.js";
import { haptic } from "../telegram.js";

type PolicyDto = Wire<AssignmentPolicy>;
const STRATEGIES = ["off", "round_robin", "least_busy"] as const;

/**
 * Auto-assignment per branch (or for tickets without one) and optionally per
 * category: the strategy and how many open tickets an agent is given at most.
 * Each row is saved as the policy of its scope (PUT); a category's row wins over
 * its branch's.
 */
export function AdminAssignment() {
  const { lang, meta } = useApp();
  const [policies, setPolicies] = useState<PolicyDto[]>([]);
  const [draft, setDraft] = useState({ branchId: "", categoryId: "", strategy: "least_busy", capacity: 10 });
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(
    async () => setPolicies(await api<PolicyDto[]>("GET", "/api/assignment-policies")),
    [],
  );
  useEffect(() => {
    reload().catch((e) => setError(messageOf(e)));
  }, [reload]);
  const run = async (call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
      haptic("success");
      await reload();
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    }
  };
  const save = (p: {
    branchId: string | null;
    categoryId: string | null;
    strategy: string;
    capacity: number;
  }) => run(() => api("PUT", "/api/assignment-policies", p));
  const branchName = (id: string | null) => {
    const b = meta.branches?.find((x) => x.id === id);
    return b ? localName(b.name, lang) : t("assignment.no_branch");
  };
  const categoryName = (id: string | null) => {
    const c = meta.categories.find((x) => x.id === id);
    return c ? `${c.emoji} ${localName(c.name, lang)}` : t("assignment.all_categories");
  };
  const strategySelect = (value: string, onChange: (v: string) => void) => (
    <select aria-label={t("assignment.strategy")} value={value} onChange={(e) => onChange(e.target.value)}>
      {STRATEGIES.map((s) => (
        <option key={s} value={s}>
          {t(`assignment.strategies.${s}`)}
        </option>
      ))}
    </select>
  );
  const capacityInput = (value: number, onChange: (v: number) => void) => (
    <input
      type="number"
      min={1}
      max={1000}
      aria-label={t("assignment.capacity")}
      defaultValue={value}
      onBlur={(e) => Number(e.target.value) !== value && onChange(Number(e.target.value))}
    />
  );

  return (
    <div className="page admin-assignment">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h2>{t("assignment.policies")}</h2>
      <p className="hint">{t("assignment.policies_hint")}</p>
      <ul className="list">
        {policies.map((p) => (
          <li key={p.id} className="admin-row assignment-policy" data-policy={p.id}>
            <span className="row-main">
              <span className="row-title">{branchName(p.branchId)}</span>
              <span className="row-sub">{categoryName(p.categoryId)}</span>
            </span>
            {strategySelect(p.strategy, (strategy) => save({ ...p, strategy }))}
            {capacityInput(p.capacity, (capacity) => save({ ...p, capacity }))}
            <button
              type="button"
              className="secondary"
              onClick={() => run(() => api("DELETE", `/api/assignment-policies/${p.id}`))}
            >
              {t("assignment.delete")}
            </button>
          </li>
        ))}
      </ul>
      <fieldset className="row-editor">
        <legend>{t("assignment.add")}</legend>
        <select
          aria-label={t("assignment.branch")}
          value={draft.branchId}
          onChange={(e) => setDraft({ ...draft, branchId: e.target.value })}
        >
          <option value="">{t("assignment.no_branch")}</option>
          {meta.branches
            ?.filter((b) => b.isActive)
            .map((b) => (
              <option key={b.id} value={b.id}>
                {localName(b.name, lang)}
              </option>
            ))}
        </select>
        <select
          aria-label={t("assignment.category")}
          value={draft.categoryId}
          onChange={(e) => setDraft({ ...draft, categoryId: e.target.value })}
        >
          <option value="">{t("assignment.all_categories")}</option>
          {meta.categories
            .filter((c) => c.isActive)
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.emoji} {localName(c.name, lang)}
              </option>
            ))}
        </select>
        {strategySelect(draft.strategy, (strategy) => setDraft({ ...draft, strategy }))}
        {capacityInput(draft.capacity, (capacity) => setDraft({ ...draft, capacity }))}
        <button
          type="button"
          onClick={() =>
            save({ ...draft, branchId: draft.branchId || null, categoryId: draft.categoryId || null })
          }
        >
          {t("assignment.save")}
        </button>
      </fieldset>
    </div>
  );
}
