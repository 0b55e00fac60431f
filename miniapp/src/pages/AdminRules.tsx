import { useCallback, useEffect, useState } from "react";
import { api, messageOf } from "../api.js";
import { t } from "../i18n.js";
import { haptic } from "../telegram.js";
import { RuleForm } from "./admin/RuleForm.js";
import type { RuleDto } from "./admin/rule-model.js";

/** Automation rules (admins): list by event and order, add, edit, switch off, delete. */
export function AdminRules() {
  const [rules, setRules] = useState<RuleDto[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => setRules(await api<RuleDto[]>("GET", "/api/automation-rules")), []);
  useEffect(() => {
    reload().catch((e) => setError(messageOf(e)));
  }, [reload]);
  const done = (saved: boolean) => {
    setEditing(null);
    if (saved) void reload();
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await api("DELETE", `/api/automation-rules/${id}`);
      haptic("success");
      await reload();
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    }
  };
  return (
    <div className="page admin-rules">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h2>{t("rules.title")}</h2>
      {rules.length === 0 && <p className="hint">{t("rules.empty")}</p>}
      <ul className="list">
        {rules.map((r) => (
          <li key={r.id} className={r.active ? "admin-row rule" : "admin-row rule inactive"}>
            <span className="row-main">
              <span className="row-title" dir="auto">
                {r.name}
                {!r.active && ` (${t("rules.off")})`}
              </span>
              <span className="row-sub">
                {t(`rules.events.${r.event}`)}
                {" · "}
                {t("rules.summary", { conditions: r.conditions.length, actions: r.actions.length })}
              </span>
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing(editing === r.id ? null : r.id)}
            >
              {t("rules.edit")}
            </button>
            <button type="button" className="secondary" onClick={() => remove(r.id)}>
              {t("rules.delete")}
            </button>
            {editing === r.id && <RuleForm rule={r} onDone={done} />}
          </li>
        ))}
      </ul>
      {editing === "new" ? (
        <RuleForm rule={null} onDone={done} />
      ) : (
        <button type="button" onClick={() => setEditing("new")}>
          {t("rules.add")}
        </button>
      )}
    </div>
  );
}
