import { useEffect, useRef, useState } from "react";
import type { Branch } from "../../../drizzle/schema/index.js";
import { api, messageOf, type UserDto, type Wire } from "../api.js";
import { useApp } from "../app-context.js";
import { t } from "../i18n.js";
import { ModerationControl } from "../moderation-control.js";
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
  const [people, setPeople] = useState<UserDto[]>([]);
  const [branches, setBranches] = useState<Wire<Branch>[]>([]);
  const [q, setQ] = useState("");
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  // Each search answers for its own words: an answer that comes back after a newer one is dropped.
  const asked = useRef(0);
  const reload = async () => {
    const mine = ++asked.current;
    try {
      const found = await api<UserDto[]>(
        "GET",
        `/api/users?limit=200${q ? `&q=${encodeURIComponent(q)}` : ""}`,
      );
      if (mine !== asked.current) return;
      setPeople(found);
      setLoaded(true);
    } catch (e) {
      if (mine === asked.current) setError(messageOf(e));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload reads q
  useEffect(() => {
    void reload();
  }, [q]);
  useEffect(() => {
    // Inactive branches too: someone may still belong to one, and their select must show it.
    void api<Wire<Branch>[]>("GET", "/api/branches?includeInactive=true")
      .then(setBranches)
      .catch((e) => setError(messageOf(e)));
  }, []);
  const change = async (id: string, body: Record<string, unknown>) => {
    setError(null);
    try {
      await api("PATCH", `/api/users/${id}`, body);
      haptic("success");
      await reload();
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    }
  };
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
      {loaded && people.length === 0 && <p className="hint">{t("admin.no_people")}</p>}
      {adding ? (
        <AddPersonForm grantable={grantable} branches={branches} onAdded={() => void reload()} />
      ) : (
        <button type="button" className="secondary" onClick={() => setAdding(true)}>
          {t("admin.add_person")}
        </button>
      )}
    </div>
  );
}
