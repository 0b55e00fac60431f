import { useEffect, useState } from "react";
import { api, messageOf, type UserDto } from "./api.js";
import { useApp } from "./app-context.js";
import { t } from "./i18n.js";
import { haptic } from "./telegram.js";

type ModerationState = "none" | "banned" | "shadow";
const MODERATORS = ["moderator", "admin", "owner"];

/**
 * Ban, shadow-ban or unban a requester (PUT /api/users/:id/moderation), for
 * moderators and admins: on the ticket screen under the requester, and in the
 * people list. Without a known state it reads the user first; a user the actor
 * may not manage (the read is refused) shows no control at all. The server
 * decides; this only offers the other two states.
 */
export function ModerationControl(props: { userId: string; state?: ModerationState }) {
  const { me } = useApp();
  const [state, setState] = useState<ModerationState | null>(props.state ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const allowed = MODERATORS.includes(me.role);
  useEffect(() => {
    if (!allowed || props.state) return;
    void api<UserDto & { moderation?: ModerationState; role: string }>("GET", `/api/users/${props.userId}`)
      .then((u) => setState(u.role === "requester" ? (u.moderation ?? "none") : null))
      .catch(() => setState(null));
  }, [allowed, props.userId, props.state]);
  if (!allowed || state === null) return null;
  const set = async (next: ModerationState) => {
    setBusy(true);
    setError(null);
    try {
      const u = await api<{ moderation: ModerationState }>("PUT", `/api/users/${props.userId}/moderation`, {
        state: next,
      });
      setState(u.moderation);
      haptic("success");
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const choices: Array<[ModerationState, string]> = [
    ["banned", t("abuse.ban")],
    ["shadow", t("abuse.shadow")],
    ["none", t("abuse.unban")],
  ];
  return (
    <div className="moderation" data-testid="moderation">
      <p className="row-sub" title={t("abuse.hint")}>
        {t("abuse.title")}: {t(`abuse.state_${state}`)}
      </p>
      {choices
        .filter(([s]) => s !== state)
        .map(([s, label]) => (
          <button key={s} type="button" className="secondary" disabled={busy} onClick={() => void set(s)}>
            {label}
          </button>
        ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
