import { useState } from "react";
import { t } from "../i18n.js";
import { unwrap } from "../remote/client.js";
import { queryKeys } from "../remote/query-client.js";
import { noContent, useChange, useResource } from "../remote/resource.js";
import { ErrorRetry, errorText, ListSkeleton } from "../states.js";
import { haptic } from "../telegram.js";
import { RuleForm } from "./admin/RuleForm.js";

/** Automation rules (admins): list by event and order, add, edit, switch off, delete. */
export function AdminRules() {
  const list = useResource(queryKeys.automationRules, (client) => unwrap(client["automation-rules"].$get()));
  const rules = list.data ?? [];
  const del = useChange(
    (client, id: string) => noContent(client["automation-rules"][":id"].$delete({ param: { id } })),
    [queryKeys.automationRules],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = () => setEditing(null);
  const remove = async (id: string) => {
    setError(null);
    try {
      await del.mutateAsync(id);
      haptic("success");
    } catch (e) {
      haptic("error");
      setError(errorText(e));
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
      {list.isPending && <ListSkeleton rows={2} />}
      {list.isError && <ErrorRetry error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && rules.length === 0 && <p className="hint">{t("rules.empty")}</p>}
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
