import { useCallback, useEffect, useState } from "react";
import { api, type CannedReplyDto, messageOf } from "../../api.js";
import { isAdminRole, useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import { haptic } from "../../telegram.js";
import { confirmDestructive } from "../../telegram-native.js";
import { CannedForm } from "./CannedForm.js";

/**
 * The staff member's canned replies (Settings): those they may use, each with
 * edit and delete when they manage it (admins see everyone's), and a new one.
 */
export function CannedReplies() {
  const { me } = useApp();
  const [replies, setReplies] = useState<CannedReplyDto[]>([]);
  const [editing, setEditing] = useState<CannedReplyDto | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const all = isAdminRole(me) ? "?all=true&limit=200" : "?limit=200";
    setReplies(await api<CannedReplyDto[]>("GET", `/api/canned-replies${all}`));
  }, [me]);
  useEffect(() => {
    void load().catch((e) => setError(messageOf(e)));
  }, [load]);

  const remove = async (reply: CannedReplyDto) => {
    if (!(await confirmDestructive(t("canned.confirm_delete", { title: reply.title }), t("canned.delete"))))
      return;
    try {
      await api("DELETE", `/api/canned-replies/${reply.id}`);
      haptic("success");
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  if (editing)
    return (
      <CannedForm
        reply={editing === "new" ? null : editing}
        onDone={(saved) => {
          // A new reply stays open so its files can be added.
          setEditing(saved && editing === "new" ? saved : null);
          void load().catch((e) => setError(messageOf(e)));
        }}
      />
    );
  return (
    <section className="canned-replies">
      <h2>{t("canned.title")}</h2>
      {replies.length === 0 && <p className="hint">{t("canned.empty")}</p>}
      <ul className="list">
        {replies.map((r) => (
          <li key={r.id} className="failed-row" data-canned={r.title}>
            <div>
              <strong>{r.title}</strong> <span className="badge">{t(`canned.scope_${r.scope}`)}</span>
              {r.files.length > 0 && ` 📎${r.files.length}`}
              <p className="row-sub">{Object.values(r.bodies)[0]}</p>
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
