import type { InferRequestType, InferResponseType } from "hono/client";
import { useState } from "react";
import { useApp } from "../app-context.js";
import { FieldError, useFormRefusal } from "../field-errors.js";
import { localName } from "../format.js";
import { assignmentPolicyForm } from "../forms/schemas.js";
import { t } from "../i18n.js";
import { type ApiClient, unwrap } from "../remote/client.js";
import { queryKeys } from "../remote/query-client.js";
import { noContent, useChange, useResource } from "../remote/resource.js";
import { ErrorRetry, errorText, ListSkeleton } from "../states.js";
import { haptic } from "../telegram.js";
import { numberOrRaw } from "./admin/TextField.js";

type Policies = ApiClient["assignment-policies"];
type Policy = InferResponseType<Policies["$get"], 200>[number];
type PolicyBody = InferRequestType<Policies["$put"]>["json"];
const STRATEGIES = ["off", "round_robin", "least_busy"] as const;
const KEYS = [queryKeys.assignmentPolicies];

/**
 * Auto-assignment per branch (or for tickets without one) and optionally per
 * category: the strategy and how many open tickets an agent is given at most.
 * Each row is saved as the policy of its scope (PUT) on its explicit Save; a
 * category's row wins over its branch's.
 */
export function AdminAssignment() {
  const { lang, meta } = useApp();
  const list = useResource(queryKeys.assignmentPolicies, (client) =>
    unwrap(client["assignment-policies"].$get()),
  );
  const remove = useChange(
    (client, id: string) => noContent(client["assignment-policies"][":id"].$delete({ param: { id } })),
    KEYS,
  );
  const [error, setError] = useState<string | null>(null);
  const branchName = (id: string | null) => {
    const b = meta.branches?.find((x) => x.id === id);
    return b ? localName(b.name, lang) : t("assignment.no_branch");
  };
  const categoryName = (id: string | null) => {
    const c = meta.categories.find((x) => x.id === id);
    return c ? `${c.emoji} ${localName(c.name, lang)}` : t("assignment.all_categories");
  };
  const drop = async (id: string) => {
    setError(null);
    try {
      await remove.mutateAsync(id);
      haptic("success");
    } catch (e) {
      haptic("error");
      setError(errorText(e));
    }
  };
  return (
    <div className="page admin-assignment">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h2>{t("assignment.policies")}</h2>
      <p className="hint">{t("assignment.policies_hint")}</p>
      {list.isPending && <ListSkeleton rows={2} />}
      {list.isError && <ErrorRetry error={list.error} onRetry={() => void list.refetch()} />}
      <ul className="list">
        {(list.data ?? []).map((p) => (
          <li key={p.id} className="admin-row assignment-policy" data-policy={p.id}>
            <span className="row-main">
              <span className="row-title">{branchName(p.branchId)}</span>
              <span className="row-sub">{categoryName(p.categoryId)}</span>
            </span>
            <button type="button" className="secondary" onClick={() => void drop(p.id)}>
              {t("assignment.delete")}
            </button>
            <PolicyEditor policy={p} />
          </li>
        ))}
      </ul>
      <PolicyEditor policy={null} />
    </div>
  );
}

/** A policy's strategy and capacity (and, for a new one, its branch and category), stored on Save. */
function PolicyEditor({ policy }: { policy: Policy | null }) {
  const { lang, meta } = useApp();
  const stored = {
    branchId: policy?.branchId ?? "",
    categoryId: policy?.categoryId ?? "",
    strategy: policy?.strategy ?? "least_busy",
    capacity: String(policy?.capacity ?? 10),
  };
  const [form, setForm] = useState(stored);
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const save = useChange(
    (client, body: PolicyBody) => unwrap(client["assignment-policies"].$put({ json: body })),
    KEYS,
  );
  const dirty = JSON.stringify(form) !== JSON.stringify(stored);
  const submit = async () => {
    clear();
    const body = {
      branchId: form.branchId || null,
      categoryId: form.categoryId || null,
      strategy: form.strategy,
      capacity: numberOrRaw(form.capacity) ?? "",
    };
    if (!check(assignmentPolicyForm, body)) return;
    try {
      await save.mutateAsync(body as PolicyBody);
      haptic("success");
      if (!policy) setForm(stored);
    } catch (e) {
      refuse(e);
    }
  };
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <fieldset className="row-editor policy-editor">
      {!policy && <legend>{t("assignment.add")}</legend>}
      {!policy && (
        <>
          <select
            aria-label={t("assignment.branch")}
            value={form.branchId}
            onChange={(e) => set("branchId")(e.target.value)}
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
            value={form.categoryId}
            onChange={(e) => set("categoryId")(e.target.value)}
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
        </>
      )}
      <select
        aria-label={t("assignment.strategy")}
        value={form.strategy}
        onChange={(e) => set("strategy")(e.target.value)}
      >
        {STRATEGIES.map((s) => (
          <option key={s} value={s}>
            {t(`assignment.strategies.${s}`)}
          </option>
        ))}
      </select>
      <label className="field">
        <span>{t("assignment.capacity")}</span>
        <input
          name="capacity"
          inputMode="numeric"
          dir="ltr"
          aria-label={t("assignment.capacity")}
          aria-invalid={errors.capacity ? true : undefined}
          value={form.capacity}
          onChange={(e) => set("capacity")(e.target.value)}
        />
        <FieldError errors={errors} path="capacity" />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {(dirty || !policy) && (
        <span className="save-row">
          <button type="button" disabled={save.isPending} onClick={() => void submit()}>
            {t("assignment.save")}
          </button>
          {policy && (
            <button type="button" className="secondary" onClick={() => setForm(stored)}>
              {t("admin.cancel")}
            </button>
          )}
        </span>
      )}
    </fieldset>
  );
}
