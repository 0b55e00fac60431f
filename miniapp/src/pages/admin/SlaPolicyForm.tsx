import type { InferRequestType } from "hono/client";
import { useState } from "react";
import { useApp } from "../../app-context.js";
import { FieldError, useFormRefusal } from "../../field-errors.js";
import { localName } from "../../format.js";
import { slaPolicyForm } from "../../forms/admin-forms.js";
import { t } from "../../i18n.js";
import { type ApiClient, unwrap } from "../../remote/client.js";
import { queryKeys } from "../../remote/query-client.js";
import { useChange } from "../../remote/resource.js";
import { haptic } from "../../telegram.js";
import { hoursOf, type PolicyDto, PRIORITIES, TARGETS } from "./sla-text.js";
import { numberOrRaw, TextField } from "./TextField.js";

type Flags = {
  businessHours: boolean;
  active: boolean;
  raisePriority: boolean;
  reassignToModerator: boolean;
};

const str = (n: number | null | undefined) => (n == null ? "" : String(n));

function textOf(p: PolicyDto | null): Record<string, string> {
  return {
    name: p?.name ?? "",
    priority: p?.priority ?? "normal",
    categoryId: p?.categoryId ?? "",
    branchId: p?.branchId ?? "",
    firstResponseMinutes: str(p?.firstResponseMinutes),
    nextResponseMinutes: str(p?.nextResponseMinutes),
    resolutionMinutes: str(p?.resolutionMinutes),
    warnPercent: str(p?.warnPercent ?? 20),
    warnMinutes: str(p?.warnMinutes),
    "escalation.notifyChatId": str(p?.escalation.notifyChatId),
  };
}

type Body = InferRequestType<ApiClient["sla-policies"]["$post"]>["json"];
type Patch = InferRequestType<ApiClient["sla-policies"][":id"]["$patch"]>["json"];

/** Saves the policy (a new one when there is none yet); the lists refetch. */
function useSave(id: string | undefined) {
  return useChange(
    (client, body: Body) =>
      id
        ? unwrap(client["sla-policies"][":id"].$patch({ param: { id }, json: body as Patch }))
        : unwrap(client["sla-policies"].$post({ json: body })),
    [queryKeys.slaPolicies],
  );
}

/** Adds a policy (no `policy`) or edits one, with field errors (ours, then the server's) beside each input. */
export function SlaPolicyForm({
  policy,
  onDone,
}: {
  policy: PolicyDto | null;
  onDone: (saved: boolean) => void;
}) {
  const { lang, meta } = useApp();
  const [form, setForm] = useState(() => textOf(policy));
  const [flags, setFlags] = useState<Flags>({
    businessHours: policy?.businessHours ?? false,
    active: policy?.active ?? true,
    raisePriority: policy?.escalation.raisePriority ?? false,
    reassignToModerator: policy?.escalation.reassignToModerator ?? false,
  });
  const { errors, error, clear, refuse, check: checkForm } = useFormRefusal(lang);
  const saveOne = useSave(policy?.id);
  const set = (name: string) => (v: string) => setForm({ ...form, [name]: v });
  const field = (name: string, label: string, numeric = true) => (
    <TextField
      name={name}
      label={label}
      inputMode={numeric ? "numeric" : undefined}
      dir={numeric ? "ltr" : "auto"}
      value={form[name]}
      onChange={set(name)}
      errors={errors}
    />
  );
  const select = (name: string, label: string, options: [string, string][]) => (
    <label className="field">
      <span>{label}</span>
      <select name={name} aria-label={label} value={form[name]} onChange={(e) => set(name)(e.target.value)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      <FieldError errors={errors} path={name} />
    </label>
  );
  const check = (key: keyof Flags, label: string) => (
    <label className="check">
      <input
        type="checkbox"
        name={key}
        checked={flags[key]}
        onChange={(e) => setFlags({ ...flags, [key]: e.target.checked })}
      />{" "}
      {label}
    </label>
  );
  const save = async () => {
    clear();
    const chat = numberOrRaw(form["escalation.notifyChatId"]);
    const body = {
      name: form.name,
      priority: form.priority,
      categoryId: form.categoryId || null,
      branchId: form.branchId || null,
      ...Object.fromEntries(TARGETS.map((k) => [k, numberOrRaw(form[k])])),
      warnPercent: numberOrRaw(form.warnPercent) ?? "",
      warnMinutes: numberOrRaw(form.warnMinutes),
      businessHours: flags.businessHours,
      active: flags.active,
      escalation: {
        ...(flags.raisePriority ? { raisePriority: true } : {}),
        ...(flags.reassignToModerator ? { reassignToModerator: true } : {}),
        ...(chat === null ? {} : { notifyChatId: chat }),
      },
    };
    // Targets, bounds and the warning below the smallest target are said here at once;
    // the server checks again (the scope's ids are its own to know).
    if (!checkForm(slaPolicyForm, body)) return;
    try {
      await saveOne.mutateAsync(body as unknown as Body);
      haptic("success");
      onDone(true);
    } catch (e) {
      refuse(e);
    }
  };
  const none: [string, string] = ["", t("admin.sla_admin.any")];
  return (
    <div className="form row-editor sla-policy-form">
      {field("name", t("admin.sla_admin.name"), false)}
      {select(
        "priority",
        t("admin.sla_admin.priority"),
        PRIORITIES.map((p) => [p, t(`common:priority.${p}`)]),
      )}
      {select("categoryId", t("admin.sla_admin.category"), [
        none,
        ...meta.categories.map((c): [string, string] => [c.id, localName(c.name, lang)]),
      ])}
      {select("branchId", t("admin.sla_admin.branch"), [
        none,
        ...(meta.branches ?? []).map((b): [string, string] => [b.id, localName(b.name, lang)]),
      ])}
      <p className="hint">{t("admin.sla_admin.targets_hint")}</p>
      {TARGETS.map((k) => (
        <div key={k}>
          {field(k, t(`admin.sla_admin.${k}`))}
          {/^\d+$/.test(form[k]) && (
            <span className="hint">
              {t("admin.sla_admin.hours", { hours: hoursOf(Number(form[k]), lang) })}
            </span>
          )}
        </div>
      ))}
      {field("warnPercent", t("admin.sla_admin.warn_percent"))}
      {field("warnMinutes", t("admin.sla_admin.warn_minutes"))}
      {check("businessHours", t("admin.sla_admin.business_hours"))}
      <p className="hint">{t("admin.sla_admin.on_breach")}</p>
      {check("raisePriority", t("admin.sla_admin.raise_priority"))}
      {check("reassignToModerator", t("admin.sla_admin.reassign_moderator"))}
      {field("escalation.notifyChatId", t("admin.sla_admin.notify_chat"))}
      {check("active", t("admin.active"))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="subnav">
        <button type="button" onClick={save}>
          {t("admin.save")}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          {t("admin.cancel")}
        </button>
      </div>
    </div>
  );
}
