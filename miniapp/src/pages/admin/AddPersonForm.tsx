import { useState } from "react";
import { isAdminRole, useApp } from "../../app-context.js";
import { FieldError, useFormRefusal } from "../../field-errors.js";
import { localName } from "../../format.js";
import { personForm } from "../../forms/schemas.js";
import { t } from "../../i18n.js";
import { type BranchRow, type NewPerson, useAddPerson } from "../../remote/admin-queries.js";
import { haptic } from "../../telegram.js";
import { TermOptions } from "../../term-options.js";
import { numberOrRaw, TextField } from "./TextField.js";

/**
 * Registers someone by Telegram id before they have written to the bot (POST
 * /api/users). Moderators give no branch: the server puts the person in theirs.
 */
export function AddPersonForm({ grantable, branches }: { grantable: string[]; branches: BranchRow[] }) {
  const { me, lang } = useApp();
  const empty = {
    telegramId: "",
    firstName: "",
    lastName: "",
    username: "",
    role: "requester",
    branchId: "",
  };
  const [form, setForm] = useState({ ...empty, language: me.language as string });
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const [added, setAdded] = useState(false);
  const add = useAddPerson();
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });

  const submit = async () => {
    clear();
    setAdded(false);
    const body = {
      telegramId: numberOrRaw(form.telegramId),
      firstName: form.firstName,
      lastName: form.lastName || null,
      username: form.username || null,
      role: form.role,
      language: form.language,
      ...(isAdminRole(me) ? { branchId: form.branchId || null } : {}),
    } as NewPerson;
    if (!check(personForm, body)) return;
    try {
      await add.mutateAsync(body);
      haptic("success");
      setForm({ ...empty, language: form.language });
      setAdded(true);
    } catch (e) {
      refuse(e);
    }
  };

  return (
    <div className="form add-person">
      <h3>{t("admin.add_person")}</h3>
      <p className="hint">{t("admin.add_person_hint")}</p>
      <TextField
        name="telegramId"
        label={t("admin.telegram_id")}
        inputMode="numeric"
        value={form.telegramId}
        onChange={set("telegramId")}
        errors={errors}
      />
      <TextField
        name="firstName"
        label={t("admin.first_name")}
        value={form.firstName}
        onChange={set("firstName")}
        errors={errors}
      />
      <TextField
        name="lastName"
        label={t("admin.last_name")}
        value={form.lastName}
        onChange={set("lastName")}
        errors={errors}
      />
      <TextField
        name="username"
        label={t("admin.username")}
        value={form.username}
        onChange={set("username")}
        errors={errors}
      />
      <label className="field">
        <span>{t("admin.role")}</span>
        <select
          aria-label={t("admin.new_role")}
          value={form.role}
          onChange={(e) => set("role")(e.target.value)}
        >
          {grantable.map((r) => (
            <option key={r} value={r}>
              {t(`common:role.${r}`)}
            </option>
          ))}
        </select>
        <FieldError errors={errors} path="role" />
      </label>
      {isAdminRole(me) && (
        <label className="field">
          <span>{t("admin.branch")}</span>
          <select
            aria-label={t("admin.new_branch")}
            value={form.branchId}
            onChange={(e) => set("branchId")(e.target.value)}
          >
            <option value="">{t("admin.none")}</option>
            {branches
              .filter((b) => b.isActive)
              .map((b) => (
                <option key={b.id} value={b.id}>
                  {localName(b.name, lang)}
                </option>
              ))}
          </select>
          <FieldError errors={errors} path="branchId" />
        </label>
      )}
      <label className="field">
        <span>{t("settings.language")}</span>
        <select
          aria-label={t("admin.new_language")}
          value={form.language}
          onChange={(e) => set("language")(e.target.value)}
        >
          <TermOptions term="language" values={["fa", "en", "ru"]} />
        </select>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {added && <p className="hint">{t("admin.person_added")}</p>}
      <button type="button" disabled={add.isPending} onClick={submit}>
        {t("admin.add")}
      </button>
    </div>
  );
}
