import { Fragment, useState } from "react";
import { useApp } from "../app-context.js";
import { useFormRefusal } from "../field-errors.js";
import { settingsForm } from "../forms/schemas.js";
import { t } from "../i18n.js";
import {
  type AdminSettingsData as SettingsDto,
  type SettingsPatch,
  useAdminSettings,
  useSaveAdminSettings,
} from "../remote/admin-queries.js";
import { ErrorRetry, ScreenSkeleton } from "../states.js";
import { haptic } from "../telegram.js";
import { numberOrRaw, TextField } from "./admin/TextField.js";

/** Live chat's settings (docs/LIVE.md): whole numbers, sent as typed for the server to judge. */
const LIVE_FIELDS = ["live_capacity", "live_offer_seconds", "presence_timeout_minutes"] as const;

/** The settings as the form's text, one entry per field path of the PATCH body. */
function formOf(s: SettingsDto): Record<string, string> {
  const form: Record<string, string> = {
    staff_chat_id: s.staff_chat_id == null ? "" : String(s.staff_chat_id),
    auto_close_hours: String(s.auto_close_hours),
    auto_close_business_hours: s.auto_close_business_hours ? "1" : "",
    reopen_days: String(s.reopen_days),
    max_file_mb: s.max_file_mb == null ? "" : String(s.max_file_mb),
  };
  for (const key of LIVE_FIELDS) form[key] = String(s[key]);
  return form;
}

/**
 * Only the settings that changed, so an untouched one keeps following its default
 * and the audit log records what was really edited. Blank staff chat or file size
 * means "the default" (null); anything unreadable goes as typed for the server to refuse.
 */
function bodyOf(form: Record<string, string>, loaded: Record<string, string>) {
  const changed = (key: string) => Object.keys(form).some((k) => k.startsWith(key) && form[k] !== loaded[k]);
  const body: Record<string, unknown> = {};
  if (changed("staff_chat_id")) body.staff_chat_id = numberOrRaw(form.staff_chat_id);
  if (changed("auto_close_hours")) body.auto_close_hours = numberOrRaw(form.auto_close_hours) ?? "";
  if (changed("auto_close_business_hours"))
    body.auto_close_business_hours = form.auto_close_business_hours === "1";
  if (changed("reopen_days")) body.reopen_days = numberOrRaw(form.reopen_days) ?? "";
  if (changed("max_file_mb")) body.max_file_mb = numberOrRaw(form.max_file_mb);
  for (const key of LIVE_FIELDS) if (changed(key)) body[key] = numberOrRaw(form[key]) ?? "";
  return body;
}

/** Admin settings: staff chat, auto-close, file size, live chat (GET/PATCH /api/settings); SLA has its own screen. */
export function AdminSettings() {
  const query = useAdminSettings();
  if (query.isPending) return <ScreenSkeleton />;
  if (query.isError)
    return (
      <div className="page">
        <ErrorRetry error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  return <SettingsForm stored={query.data} />;
}

/** The form over the stored settings; after a save, the server's answer is what it shows. */
function SettingsForm({ stored }: { stored: SettingsDto }) {
  const { lang } = useApp();
  const [form, setForm] = useState(() => formOf(stored));
  const [loaded, setLoaded] = useState(() => formOf(stored));
  const { errors, error, clear, refuse, check } = useFormRefusal(lang);
  const [saved, setSaved] = useState(false);
  const saveSettings = useSaveAdminSettings();

  const set = (name: string) => (v: string) => {
    setSaved(false);
    setForm({ ...form, [name]: v });
  };
  const field = (name: string, label: string) => (
    <TextField
      name={name}
      label={label}
      inputMode="numeric"
      value={form[name]}
      onChange={set(name)}
      errors={errors}
    />
  );
  const save = async () => {
    clear();
    setSaved(false);
    const body = bodyOf(form, loaded);
    if (!check(settingsForm, body)) return;
    try {
      const fresh = formOf(await saveSettings.mutateAsync(body as SettingsPatch));
      setForm(fresh);
      setLoaded(fresh);
      haptic("success");
      setSaved(true);
    } catch (e) {
      refuse(e);
    }
  };
  return (
    <div className="page admin-settings">
      <h2>{t("admin.settings")}</h2>
      <div className="form">
        {field("staff_chat_id", t("admin.staff_chat_id"))}
        <p className="hint">{t("admin.settings_staff_chat_hint")}</p>
        {field("auto_close_hours", t("admin.auto_close_hours"))}
        <label className="check">
          <input
            type="checkbox"
            checked={form.auto_close_business_hours === "1"}
            onChange={(e) => set("auto_close_business_hours")(e.target.checked ? "1" : "")}
          />{" "}
          {t("admin.auto_close_business_hours")}
        </label>
        {field("reopen_days", t("admin.reopen_days"))}
        {field("max_file_mb", t("admin.max_file_mb"))}
        <p className="hint">{t("admin.max_file_hint")}</p>
        <h3>{t("admin.live_settings")}</h3>
        {LIVE_FIELDS.map((key) => (
          <Fragment key={key}>{field(key, t(`admin.${key}`))}</Fragment>
        ))}
        <p className="hint">{t("admin.live_settings_hint")}</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {saved && <p className="hint">{t("settings.saved")}</p>}
        <button type="button" disabled={saveSettings.isPending} onClick={save}>
          {t("admin.save")}
        </button>
      </div>
    </div>
  );
}
