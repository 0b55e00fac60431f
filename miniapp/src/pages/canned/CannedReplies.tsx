import { useState } from "react";
import { isAdminRole, useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import { type CannedReply, useCannedReplies, useDeleteCanned } from "../../remote/canned-queries.js";
import { ErrorRetry, errorText, ListSkeleton } from "../../states.js";
import { haptic } from "../../telegram.js";
import { confirmDestructive } from "../../telegram-native.js";
import { CannedForm } from "./CannedForm.js";

/**
 * The staff member's canned replies (Settings): those they may use, each with
 * edit and delete when they manage it (admins see everyone's), and a new one.
 */
export function CannedReplies() {
  const { me } = useApp();
  const list = useCannedReplies(isAdminRole(me) ? "all" : "mine");
  const del = useDeleteCanned();
  const [editing, setEditing] = useState<CannedReply | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const replies = list.data ?? [];

  const remove = async (reply: CannedReply) => {
    if (!(await confirmDestructive(t("canned.confirm_delete", { title: reply.title }), t("canned.delete"))))
      return;
    setError(null);
    try {
      await del.mutateAsync(reply.id);
      haptic("success");
    } catch (e) {
      haptic("error");
      setError(errorText(e));
    }
  };

  if (editing)
    return (
      <CannedForm
        reply={editing === "new" ? null : editing}
        onDone={(saved) => {
          // A new reply stays open so its files can be added.
          setEditing(saved && editing === "new" ? saved : null);
        }}
      />
    );
  return (
    <section className="canned-replies">
      <h2>{t("canned.title")}</h2>
      {list.isPending && <ListSkeleton rows={2} />}
      {list.isError && <ErrorRetry error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && replies.length === 0 && <p className="hint">{t("canned.empty")}</p>}
      <ul className="list">
        {replies.map((r) => (
          <li key={r.id} className="failed-row" data-canned={r.title}>
            <div>
              <strong dir="auto">{r.title}</strong>{" "}
              <span className="badge">{t(`canned.scope_${r.scope}`)}</span>
              {r.files.length > 0 && ` 📎${r.files.length}`}
              <p className="row-sub" dir="auto">
                {Object.values(r.bodies)[0]}
              </p>
            </div>
            {r.canManage && (
              <div className="composer-row">
                <button type="button" className="secondary" onClick={() => setEditing(r)}>
                  {t("canned.edit")}
                </button>
                <button type="button" className="secondary" onClick={() => void remove(r)}>
                  {t("canned.delete")}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={() => setEditing("new")}>
        {t("canned.new")}
      </button>
    </section>
  );
}
