import { useState } from "react";
import { useApp } from "../app-context.js";
import { t } from "../i18n.js";
import { ModerationControl } from "../moderation-control.js";
import { type PersonPatch, useCatalogList, usePeople, usePersonChange } from "../remote/admin-queries.js";
import { ErrorRetry, errorText, ListSkeleton } from "../states.js";
import { haptic } from "../telegram.js";
import { AddPersonForm } from "./admin/AddPersonForm.js";
import { UserRow } from "./admin/UserRow.js";

const ROLES_BY_ACTOR: Record<string, string[]> = {
  owner: ["requester", "agent", "auditor", "moderator", "admin", "owner"],
  admin: ["requester", "agent", "auditor", "moderator", "admin"],
  moderator: ["requester", "agent"],
};

/**
 * People in my scope: role, branch, active or not, the categories staff handle,
 * and a form to register someone before their first message. The server decides
 * what each change may do; this screen only offers what the role could grant.
 */
export function AdminUsers() {
  const { me } = useApp();
  const [q, setQ] = useState("");
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Each search is cached under its own words, so a late answer never shows for newer ones.
  const found = usePeople(q.trim());
  // Inactive branches too: someone may still belong to one, and their select must show it.
  const branches = useCatalogList("branches").data ?? [];
  const changePerson = usePersonChange();
  const change = async (id: string, body: PersonPatch) => {
    setError(null);
    try {
      await changePerson.mutateAsync({ id, body });
      haptic("success");
    } catch (e) {
      haptic("error");
      setError(errorText(e));
    }
  };
  const people = found.data ?? [];
  const grantable = ROLES_BY_ACTOR[me.role] ?? [];
  return (
    <div className="page">
      <h2>{t("admin.users")}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <input
        type="search"
        aria-label={t("admin.search_users")}
        placeholder={t("admin.search_users")}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {found.isPending && <ListSkeleton rows={4} />}
      {found.isError && <ErrorRetry error={found.error} onRetry={() => void found.refetch()} />}
      <ul className="list">
        {people.map((u) => (
          <li key={u.id} className="user-with-moderation">
            <ul className="list">
              <UserRow user={u} grantable={grantable} branches={branches} change={change} />
            </ul>
            {u.role === "requester" && <ModerationControl userId={u.id} state={u.moderation ?? "none"} />}
          </li>
        ))}
      </ul>
      {found.isSuccess && people.length === 0 && <p className="hint">{t("admin.no_people")}</p>}
      {adding ? (
        <AddPersonForm grantable={grantable} branches={branches} />
      ) : (
        <button type="button" className="secondary" onClick={() => setAdding(true)}>
          {t("admin.add_person")}
        </button>
      )}
    </div>
  );
}
