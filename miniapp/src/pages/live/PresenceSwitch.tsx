import { messageOf } from "../../api.js";
import { t } from "../../i18n.js";
import { PRESENCES, type Presence, usePresence, useSetPresence } from "../../remote/live-queries.js";
import { haptic } from "../../telegram.js";

/** Online / busy / offline for live chat (PUT /api/presence); going online gets offers at once. */
export function PresenceSwitch() {
  const current = usePresence();
  const change = useSetPresence();
  const presence = current.data?.presence ?? null;
  // The last try's refusal, else a failed read (a choice that went through clears both).
  const failed = change.isSuccess ? null : (change.error ?? current.error);
  const error = failed ? messageOf(failed) : null;
  const choose = (p: Presence) =>
    change.mutate(p, {
      onSuccess: () => haptic("success"),
      onError: () => haptic("error"),
    });
  return (
    <div className="presence-switch" data-presence={presence ?? ""}>
      <div className="subnav">
        {PRESENCES.map((p) => (
          <button
            key={p}
            type="button"
            data-presence-choice={p}
            className={presence === p ? "" : "secondary"}
            onClick={() => choose(p)}
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
