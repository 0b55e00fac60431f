import { useState } from "react";
import type { Branch } from "../../../../drizzle/schema/index.js";
import type { UserDto, Wire } from "../../api.js";
import { isAdminRole, useApp } from "../../app-context.js";
import { localName } from "../../format.js";
import { t } from "../../i18n.js";

/** Roles whose holders work tickets, and so may be given categories to handle. */
const WORKING = ["agent", "moderator", "admin", "owner"];

/**
 * One person: role, branch (admins), active switch, and for staff who work tickets
 * the categories they handle (skill-based assignment picks among those).
 */
export function UserRow({
  user: u,
  grantable,
  branches,
  change,
}: {
  user: UserDto;
  grantable: string[];
  branches: Wire<Branch>[];
  change: (id: string, body: Record<string, unknown>) => Promise<void>;
}) {
  const { me, meta, lang } = useApp();
  const [editingSkills, setEditingSkills] = useState(false);
  const active = u.isActive !== false;
  // Whom the role could not grant, it does not manage either (the server decides; this only hides dead buttons).
  const manageable = grantable.includes(u.role);
  const skills = u.skills ?? [];
  const categoryName = (id: string) => {
    const c = meta.categories.find((x) => x.id === id);
    return c ? `${c.emoji} ${localName(c.name, lang)}` : "";
  };
  return (
    <li
      className={active ? "admin-row" : "admin-row inactive"}
      data-user={u.username ?? u.id}
      data-telegram-id={u.telegramId}
    >
      <span className="row-main">
        <span className="row-title">
          {u.firstName} {u.lastName ?? ""}
        </span>
        <span className="row-sub">
          {!active && <span className="badge-inactive">{t("admin.inactive")}</span>}
          {u.username ? `@${u.username}` : ""}
          {skills.length > 0 && ` · ${skills.map(categoryName).filter(Boolean).join(", ")}`}
        </span>
      </span>
      <select
        aria-label={t("admin.role")}
        value={u.role}
        disabled={u.id === me.id || !manageable}
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
          {/* Active branches to choose, and the person's own even when it was closed since. */}
          {branches
            .filter((b) => b.isActive || b.id === u.branchId)
            .map((b) => (
              <option key={b.id} value={b.id} disabled={!b.isActive}>
                {localName(b.name, lang)}
                {b.isActive ? "" : ` (${t("admin.inactive")})`}
              </option>
            ))}
        </select>
      )}
      {manageable && WORKING.includes(u.role) && (
        <button
          type="button"
          className="secondary"
          aria-expanded={editingSkills}
          onClick={() => setEditingSkills(!editingSkills)}
        >
          {t("admin.skills")}
        </button>
      )}
      {manageable && WORKING.includes(u.role) && (
        <input
          type="number"
          min={1}
          max={1000}
          className="capacity"
          aria-label={t("assignment.max_open")}
          placeholder={t("assignment.max_open_default")}
          defaultValue={u.maxOpenTickets ?? ""}
          onBlur={(e) => {
            const value = e.target.value === "" ? null : Number(e.target.value);
            if (value !== (u.maxOpenTickets ?? null)) void change(u.id, { maxOpenTickets: value });
          }}
        />
      )}
      {manageable && u.id !== me.id && (
        <button type="button" className="secondary" onClick={() => change(u.id, { active: !active })}>
          {active ? t("admin.deactivate") : t("admin.activate")}
        </button>
      )}
      {editingSkills && (
        <fieldset className="labels row-editor">
          <legend>{t("admin.skills_hint")}</legend>
          {meta.categories
            .filter((c) => c.isActive || skills.includes(c.id))
            .map((c) => {
              const on = skills.includes(c.id);
              return (
                <button
                  key={c.id}
                  type="button"
                  className={on ? "chip on" : "chip"}
                  aria-pressed={on}
                  onClick={() =>
                    change(u.id, { skills: on ? skills.filter((s) => s !== c.id) : [...skills, c.id] })
                  }
                >
                  {c.emoji} {localName(c.name, lang)}
                </button>
              );
            })}
        </fieldset>
      )}
    </li>
  );
}
