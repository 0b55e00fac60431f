import { useEffect, useState } from "react";
import { api, messageOf } from "../../api.js";
import { t } from "../../i18n.js";
import { haptic } from "../../telegram.js";
import { PRESENCES, type Presence } from "./live-api.js";

/** Online / busy / offline for live chat (PUT /api/presence); going online gets offers at once. */
export function PresenceSwitch({ onChange }: { onChange?: () => void }) {
  const [presence, setPresence] = useState<Presence | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ presence: Presence }>("GET", "/api/presence")
      .then((r) => setPresence(r.presence))
      .catch((e) => setError(messageOf(e)));
  }, []);
  const choose = async (p: Presence) => {
    try {
      const r = await api<{ presence: Presence }>("PUT", "/api/presence", { presence: p });
      setPresence(r.presence);
      setError(null);
      haptic("success");
      onChange?.();
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    }
  };
  return (
    <div className="presence-switch" data-presence={presence ?? ""}>
      <div className="subnav">
        {PRESENCES.map((p) => (
          <button
            key={p}
            type="button"
            data-presence-choice={p}
            className={presence === p ? "" : "secondary"}
            onClick={() => void choose(p)}
          >
            {t(`live.presence.${p}`)}
          </button>
        ))}
      </div>
      <p className="hint">{t("live.presence_hint")}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
