import type { InferRequestType } from "hono/client";
import { useState } from "react";
import { useApp } from "../../app-context.js";
import { FieldError, useFormRefusal } from "../../field-errors.js";
import { localName } from "../../format.js";
import { ruleForm } from "../../forms/admin-forms.js";
import { t } from "../../i18n.js";
import { type ApiClient, unwrap } from "../../remote/client.js";
import { queryKeys } from "../../remote/query-client.js";
import { useChange } from "../../remote/resource.js";
import { haptic } from "../../telegram.js";
import {
  ACTION_FIELDS,
  ACTION_TYPES,
  type ActionRow,
  actionBody,
  CONDITION_FIELDS,
  type ConditionRow,
  conditionOf,
  RULE_EVENTS,
  type RuleData,
} from "./rule-model.js";
import { TextField } from "./TextField.js";

type Options = [string, string][];
type RuleBody = InferRequestType<ApiClient["automation-rules"]["$post"]>["json"];
type RulePatch = InferRequestType<ApiClient["automation-rules"][":id"]["$patch"]>["json"];

/**
 * The compact rule editor: name, event, all/any, condition rows (field, operator,
 * value) and action rows (type and its inputs), with errors by field path (checked
 * here first with forms/admin-forms.ts, then by the server).
 */
export function RuleForm({ rule, onDone }: { rule: RuleData | null; onDone: (saved: boolean) => void }) {
  const { lang, meta } = useApp();
  const saveRule = useChange(
    (client, body: RuleBody) =>
      rule
        ? unwrap(
            client["automation-rules"][":id"].$patch({ param: { id: rule.id }, json: body as RulePatch }),
          )
        : unwrap(client["automation-rules"].$post({ json: body })),
    [queryKeys.automationRules],
  );
  const [name, setName] = useState(rule?.name ?? "");
  const [event, setEvent] = useState<RuleData["event"]>(rule?.event ?? "ticket_created");
  const [match, setMatch] = useState<RuleData["match"]>(rule?.match ?? "all");
  const [active, setActive] = useState(rule?.active ?? true);
  const [position, setPosition] = useState(String(rule?.position ?? 0));
  const [conditions, setConditions] = useState<ConditionRow[]>(rule?.conditions ?? []);
  const [actions, setActions] = useState<ActionRow[]>(
    rule?.actions ?? [{ type: "set_priority", value: "high" }],
  );
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);

  const valueOptions = (field: ConditionRow["field"]): Options | null => {
    switch (field) {
      case "category":
        return meta.categories.map((c) => [c.id, localName(c.name, lang)]);
      case "branch":
        return (meta.branches ?? []).map((b) => [b.id, localName(b.name, lang)]);
      case "label":
        return meta.labels.map((l) => [l.id, l.name]);
      case "priority":
        return meta.priorities.map((p) => [p, t(`common:priority.${p}`)]);
      case "status":
        return meta.statuses.map((s) => [s, t(`common:status.${s}`)]);
      case "requester_language":
        return ["fa", "en", "ru"].map((l) => [l, t(`rules.languages.${l}`)]);
      case "author":
        return ["requester", "staff"].map((a) => [a, t(`rules.authors.${a}`)]);
      case "text":
        return null;
    }
  };
  const actionOptions = (type: ActionRow["type"]): Options | null => {
    if (type === "set_priority") return valueOptions("priority");
    if (type === "set_status") return valueOptions("status");
    if (type === "set_category") return valueOptions("category");
    if (type === "add_label") return valueOptions("label");
    return null;
  };
  const select = (
    path: string,
    label: string,
    value: string,
    options: Options,
    onChange: (v: string) => void,
  ) => (
    <label className="field">
      <span>{label}</span>
      <select name={path} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {!options.some(([v]) => v === value) && <option value={value}>{value || "—"}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      <FieldError errors={errors} path={path} />
    </label>
  );
  const setCondition = (i: number, patch: Partial<ConditionRow>) =>
    setConditions(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const setAction = (i: number, row: ActionRow) => setActions(actions.map((a, j) => (j === i ? row : a)));

  const save = async () => {
    clear();
    const body = {
      name,
      event,
      match,
      active,
      position: /^\d+$/.test(position.trim()) ? Number(position.trim()) : position,
      conditions,
      actions: actions.map(actionBody),
    };
    // Each row's field, operator and value are checked here first, said beside the input.
    if (!check(ruleForm, body)) return;
    try {
      // Numbers and choices go as typed: the server's 422 names the field at fault.
      await saveRule.mutateAsync(body as RuleBody);
      haptic("success");
      onDone(true);
    } catch (e) {
      refuse(e);
    }
  };

  return (
    <div className="form row-editor rule-form">
      <TextField
        name="name"
        label={t("rules.name")}
        value={name}
        onChange={setName}
        errors={errors}
        dir="auto"
      />
      {select(
        "event",
        t("rules.event"),
        event,
        RULE_EVENTS.map((e) => [e, t(`rules.events.${e}`)]),
        (v) => setEvent(v as RuleData["event"]),
      )}
      {select(
        "match",
        t("rules.match"),
        match,
        [
          ["all", t("rules.match_all")],
          ["any", t("rules.match_any")],
        ],
        (v) => setMatch(v as RuleData["match"]),
      )}
      <h3>{t("rules.conditions")}</h3>
      {conditions.length === 0 && <p className="hint">{t("rules.no_conditions")}</p>}
      {conditions.map((c, i) => {
        const options = valueOptions(c.field);
        const p = `conditions.${i}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <fieldset key={i} className="rule-row condition-row">
            {select(
              `${p}.field`,
              t("rules.field"),
              c.field,
              CONDITION_FIELDS.map((f) => [f, t(`rules.fields.${f}`)]),
              (v) => setCondition(i, conditionOf(v as ConditionRow["field"])),
            )}
            {select(
              `${p}.op`,
              t("rules.op"),
              c.op,
              (c.field === "text" ? ["contains"] : ["is", "is_not"]).map((o) => [o, t(`rules.ops.${o}`)]),
              (v) => setCondition(i, { op: v as ConditionRow["op"] }),
            )}
            {options ? (
              select(`${p}.value`, t("rules.value"), c.value, options, (v) => setCondition(i, { value: v }))
            ) : (
              <TextField
                name={`${p}.value`}
                label={t("rules.value")}
                value={c.value}
                onChange={(v) => setCondition(i, { value: v })}
                errors={errors}
                dir="auto"
              />
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
            >
              {t("rules.remove")}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="secondary"
        onClick={() => setConditions([...conditions, conditionOf("text")])}
      >
        {t("rules.add_condition")}
      </button>
      <h3>{t("rules.actions")}</h3>
      {actions.map((a, i) => {
        const p = `actions.${i}`;
        const options = actionOptions(a.type);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <fieldset key={i} className="rule-row action-row">
            {select(
              `${p}.type`,
              t("rules.action"),
              a.type,
              ACTION_TYPES.map((x) => [x, t(`rules.action_types.${x}`)]),
              (v) => setAction(i, { type: v as ActionRow["type"] }),
            )}
            {ACTION_FIELDS[a.type].map((f) =>
              f === "value" && options ? (
                <span key={f}>
                  {select(`${p}.value`, t("rules.value"), String(a.value ?? ""), options, (v) =>
                    setAction(i, { ...a, value: v }),
                  )}
                </span>
              ) : (
                <TextField
                  key={f}
                  name={`${p}.${f}`}
                  label={t(`rules.${FIELD_LABEL[f] ?? "value"}`)}
                  value={String(a[f] ?? "")}
                  onChange={(v) => setAction(i, { ...a, [f]: v })}
                  errors={errors}
                  dir={f === "chatId" || f.endsWith("Id") ? "ltr" : "auto"}
                />
              ),
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => setActions(actions.filter((_, j) => j !== i))}
            >
              {t("rules.remove")}
            </button>
          </fieldset>
        );
      })}
      <FieldError errors={errors} path="actions" />
      <button
        type="button"
        className="secondary"
        onClick={() => setActions([...actions, { type: "assign_auto" }])}
      >
        {t("rules.add_action")}
      </button>
      <TextField
        name="position"
        label={t("rules.position")}
        value={position}
        onChange={setPosition}
        errors={errors}
        inputMode="numeric"
      />
      <label className="check">
        <input type="checkbox" name="active" checked={active} onChange={(e) => setActive(e.target.checked)} />{" "}
        {t("rules.active")}
      </label>
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

const FIELD_LABEL: Record<string, string> = {
  userId: "user_id",
  cannedReplyId: "canned_id",
  chatId: "chat_id",
  body: "note",
  text: "text",
};
