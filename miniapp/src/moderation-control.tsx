import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApp } from "./app-context.js";
import { t } from "./i18n.js";
import { useApi } from "./remote/api-context.js";
import { unwrap } from "./remote/client.js";
import { queryKeys } from "./remote/query-client.js";
import { errorText } from "./states.js";
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
  const { client } = useApi();
  const queries = useQueryClient();
  const allowed = MODERATORS.includes(me.role);
  const param = { id: props.userId };
  // Read only when the caller does not know the state; a refused read shows no control.
  const person = useQuery({
    queryKey: queryKeys.person(props.userId),
    queryFn: () => unwrap(client.users[":id"].$get({ param })).catch(() => null),
    enabled: allowed && !props.state,
  });
  const change = useMutation({
    mutationFn: (next: ModerationState) =>
      unwrap(client.users[":id"].moderation.$put({ param, json: { state: next } })),
    onSuccess: (u) => {
      haptic("success");
      queries.setQueryData(queryKeys.person(props.userId), u);
      // The people list shows the state too.
      void queries.invalidateQueries({ queryKey: queryKeys.peopleAll });
    },
    onError: () => haptic("error"),
  });
  const read = person.data;
  const state: ModerationState | null =
    change.data?.moderation ??
    props.state ??
    (read ? (read.role === "requester" ? (read.moderation ?? "none") : null) : null);
  if (!allowed || state === null) return null;
  const busy = change.isPending;
  const error = change.isError ? errorText(change.error) : null;
  const set = (next: ModerationState) => change.mutate(next);
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
