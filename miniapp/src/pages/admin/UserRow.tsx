import { useState } from "react";
import { isAdminRole, useApp } from "../../app-context.js";
import { listSeparator, localName } from "../../format.js";
import { t } from "../../i18n.js";
import type { BranchRow, PersonPatch, PersonRow } from "../../remote/admin-queries.js";
import { confirmDestructive } from "../../telegram-native.js";

/** The fields of a person this row edits before one explicit Save. */
interface PersonEdit {
  role: PersonRow["role"];
  branchId: string | null;
  maxOpenTickets: number | null;
  skills: string[];
}
const editOf = (u: PersonRow): PersonEdit => ({
  role: u.role,
  branchId: u.branchId ?? null,
  maxOpenTickets: u.maxOpenTickets ?? null,
  skills: u.skills ?? [],
});
/** Only what differs from the person as stored: the rest is not sent, so it is not touched. */
function changesOf(edit: PersonEdit, u: PersonRow): PersonPatch {
  const stored = editOf(u);
  const out: PersonPatch = {};
  if (edit.role !== stored.role) out.role = edit.role;
  if (edit.branchId !== stored.branchId) out.branchId = edit.branchId;
  if (edit.maxOpenTickets !== stored.maxOpenTickets) out.maxOpenTickets = edit.maxOpenTickets;
  if ([...edit.skills].sort().join() !== [...stored.skills].sort().join()) out.skills = edit.skills;
  return out;
}

/** Roles whose holders work tickets, and so may be given categories to handle. */
const WORKING = ["agent", "moderator", "admin", "owner"];

/**
 * One person: role, branch (admins), active switch, and for staff who work tickets
 * the categories they handle (skill-based assignment picks among those). Changes wait
 * for an explicit Save (one request with what changed); deactivating asks first.
 */
export function UserRow({
  user: u,
  grantable,
  branches,
  change,
}: {
  user: PersonRow;
  grantable: string[];
  branches: BranchRow[];
  change: (id: string, body: PersonPatch) => Promise<void>;
}) {
  const { me, meta, lang } = useApp();
  const [editingSkills, setEditingSkills] = useState(false);
  const active = u.isActive !== false;
  const [edit, setEdit] = useState<PersonEdit>(() => editOf(u));
  const [saving, setSaving] = useState(false);
  // A fresh copy from the server (after a save, or someone else's change) starts the edit again.
  const [shown, setShown] = useState(u);
  if (shown !== u) {
    setShown(u);
    setEdit(editOf(u));
  }
  const pending = changesOf(edit, u);
  const dirty = Object.keys(pending).length > 0;
  const save = async () => {
    setSaving(true);
    try {
      await change(u.id, pending);
    } finally {
      setSaving(false);
    }
  };
  const switchActive = async () => {
    const name = `${u.firstName} ${u.lastName ?? ""}`.trim();
    if (active && !(await confirmDestructive(t("chat.confirm_deactivate", { name }), t("admin.deactivate"))))
      return;
    await change(u.id, { active: !active });
  };
  // Whom the role could not grant, it does not manage either (the server decides; this only hides dead buttons).
  const manageable = grantable.includes(u.role);
  const skills = edit.skills;
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
          {u.username && <bdi dir="ltr">@{u.username}</bdi>}
          {(u.skills ?? []).length > 0 &&
            ` · ${(u.skills ?? []).map(categoryName).filter(Boolean).join(listSeparator(lang))}`}
        </span>
      </span>
      <select
        aria-label={t("admin.role")}
        value={edit.role}
        disabled={u.id === me.id || !manageable}
        onChange={(e) => setEdit({ ...edit, role: e.target.value as PersonRow["role"] })}
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
          value={edit.branchId ?? ""}
          onChange={(e) => setEdit({ ...edit, branchId: e.target.value || null })}
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
          value={edit.maxOpenTickets ?? ""}
          onChange={(e) =>
            setEdit({ ...edit, maxOpenTickets: e.target.value === "" ? null : Number(e.target.value) })
          }
        />
      )}
      {manageable && u.id !== me.id && (
        <button type="button" className="secondary" onClick={() => void switchActive()}>
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
                    setEdit({ ...edit, skills: on ? skills.filter((s) => s !== c.id) : [...skills, c.id] })
                  }
                >
                  {c.emoji} {localName(c.name, lang)}
                </button>
              );
            })}
        </fieldset>
      )}
      {dirty && (
        <span className="row-editor save-row">
          <button type="button" disabled={saving} onClick={() => void save()}>
            {t("admin.save")}
          </button>
          <button type="button" className="secondary" disabled={saving} onClick={() => setEdit(editOf(u))}>
            {t("chat.edit_cancel")}
          </button>
        </span>
      )}
    </li>
  );
}
