import { useEffect, useState } from "react";
import type { Branch } from "../../../drizzle/schema/index.js";
import { ApiError, api, type UserDto, type Wire } from "../api.js";
import { isAdminRole, useApp } from "../app-context.js";
import { t } from "../i18n.js";
import { haptic } from "../telegram.js";

const ROLES_BY_ACTOR: Record<string, string[]> = {
  owner: ["requester", "agent", "auditor", "moderator", "admin", "owner"],
  admin: ["requester", "agent", "auditor", "moderator", "admin"],
  moderator: ["requester", "agent"],
};

/** People in my scope with their role, branch and whether the account is active. */
export function AdminUsers() {
  const { me, lang } = useApp();
  const [people, setPeople] = useState<(UserDto & { isActive?: boolean })[]>([]);
  const [branches, setBranches] = useState<Wire<Branch>[]>([]);
  const [q, setQ] = useState("");
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    api<UserDto[]>("GET", `/api/users?limit=200${q ? `&q=${encodeURIComponent(q)}` : ""}`).then(setPeople);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload reads q
  useEffect(() => {
    void reload();
  }, [q]);
  useEffect(() => {
    void api<Wire<Branch>[]>("GET", "/api/branches").then(setBranches);
  }, []);
  const change = async (id: string, body: Record<string, unknown>) => {
    setError(null);
    try {
      await api("PATCH", `/api/users/${id}`, body);
      haptic("success");
      await reload();
    } catch (e) {
      haptic("error");
      setError(e instanceof ApiError ? e.message : t("error.generic"));
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
          <li key={u.id} className="admin-row" data-user={u.username ?? u.id}>
            <span className="row-main">
              <span className="row-title">
                {u.firstName} {u.lastName ?? ""}
              </span>
              <span className="row-sub">{u.username ? `@${u.username}` : ""}</span>
            </span>
            <select
              aria-label={t("admin.role")}
              value={u.role}
              disabled={u.id === me.id || !grantable.includes(u.role)}
              onChange={(e) => change(u.id, { role: e.target.value })}
            >
              {[...new Set([...grantable, u.role])].map((r) => (
                <option key={r} value={r}>
                  {t(`common:role.${r}`)}
                </option>
              ))}
            </select>
            {isAdminRole(me) && (
              <select
                aria-label={t("admin.branch")}
                value={u.branchId ?? ""}
                onChange={(e) => change(u.id, { branchId: e.target.value || null })}
              >
                <option value="">{t("admin.none")}</option>
                {branches.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name[lang as "fa"] ?? b.name.fa}
                  </option>
                ))}
              </select>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
