import { useState } from "react";
import { canWork, isStaff, useApp } from "../app-context.js";
import { t } from "../i18n.js";
import { useApi } from "../remote/api-context.js";
import { unwrap } from "../remote/client.js";
import { errorText } from "../states.js";
import { haptic } from "../telegram.js";
import { CannedReplies } from "./canned/CannedReplies.js";

/**
 * The kinds a person can be sent (PERSONAL_NOTIFICATION_TYPES of the domain's
 * rules): SLA warnings are not sent yet, and system notices go to staff chats only.
 */
const KINDS = ["new_ticket", "assigned", "status_changed", "new_message", "closed"] as const;
/** Same defaults as the server: new-ticket pings are opt-in, the rest on. */
const DEFAULT_ON: Record<string, boolean> = { new_ticket: false };

/** Which notifications reach me in Telegram, and my language. */
export function Settings() {
  const { me } = useApp();
  const [prefs, setPrefs] = useState<Record<string, boolean>>(me.notifyPrefs ?? {});
  const [away, setAway] = useState(me.away === true);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { client } = useApi();
  /**
   * Saves through the typed client; the screen shows the change at once (optimistic) and
   * on failure says why and returns false, so it can undo what it showed.
   */
  const save = async (body: Record<string, unknown>): Promise<boolean> => {
    try {
      await unwrap(client.users.me.preferences.$patch({ json: body as never }));
      haptic("success");
      setSaved(true);
      setError(null);
      return true;
    } catch (e) {
      haptic("error");
      setSaved(false);
      setError(errorText(e));
      return false;
    }
  };
  return (
    <div className="page">
      {isStaff(me) && me.role !== "auditor" && (
        <>
          <h2>{t("assignment.availability")}</h2>
          <label className="check">
            <input
              type="checkbox"
              data-away
              checked={!away}
              onChange={async () => {
                setAway(!away);
                if (!(await save({ away: !away }))) setAway(away);
              }}
            />
            {away ? t("assignment.away") : t("assignment.available")}
          </label>
          <p className="hint">{t("assignment.availability_hint")}</p>
        </>
      )}
      <h2>{t("settings.title")}</h2>
      <ul className="list">
        {KINDS.map((k) => {
          const on = prefs[k] ?? DEFAULT_ON[k] ?? true;
          return (
            <li key={k} className="failed-row">
              <label className="check">
                <input
                  type="checkbox"
                  data-kind={k}
                  checked={on}
                  onChange={async () => {
                    const before = prefs;
                    setPrefs({ ...prefs, [k]: !on });
                    if (!(await save({ notifyPrefs: { [k]: !on } }))) setPrefs(before);
                  }}
                />
                {t(`settings.kind.${k}`)}
              </label>
            </li>
          );
        })}
      </ul>
      <h2>{t("settings.language")}</h2>
      <select
        aria-label={t("settings.language")}
        defaultValue={me.language}
        onChange={async (e) => {
          if (await save({ language: e.target.value })) location.reload();
        }}
      >
        <option value="fa">فارسی</option>
        <option value="en">English</option>
        <option value="ru">Русский</option>
      </select>
      {saved && <p className="hint">{t("settings.saved")}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {canWork(me) && <CannedReplies />}
    </div>
  );
}
