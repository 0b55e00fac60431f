import { messageOf } from "../../api.js";
import { canWork, isStaff, useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import {
  type LiveChat,
  type LiveMove,
  useLiveBoard,
  useLiveMove,
  useMyLiveChats,
} from "../../remote/live-queries.js";
import { haptic } from "../../telegram.js";
import { LiveBoard } from "./LiveBoard.js";
import { PresenceSwitch } from "./PresenceSwitch.js";
import { RequesterLive } from "./RequesterLive.js";

const SUPERVISORS = ["moderator", "admin", "owner", "auditor"];

/**
 * The Live screen (docs/LIVE.md): one's presence; offers to accept or decline;
 * one's active chats, each opened in the ticket view (the chat is the ticket's
 * thread) or ended here; for supervisors the board (LiveBoard); for requesters
 * their own chat (RequesterLive). Refreshed by
 * the app's live updates and, for offers that expire on the server, every few seconds.
 */
export function LivePage() {
  const { me, open } = useApp();
  const supervisor = SUPERVISORS.includes(me.role);
  const staff = isStaff(me);
  const mineQuery = useMyLiveChats(staff && canWork(me));
  const boardQuery = useLiveBoard(staff && supervisor);
  const move = useLiveMove();
  const mine = mineQuery.data ?? [];
  const board = boardQuery.data ?? null;
  // A refused move is said until the next one; else a failed read.
  const failed = move.error ?? (move.isSuccess ? null : (mineQuery.error ?? boardQuery.error));
  const error = failed ? messageOf(failed) : null;

  const act = (chat: LiveChat, verb: LiveMove, operatorId?: string) =>
    move.mutate(
      { chatId: chat.id, move: verb, operatorId },
      {
        onSuccess: () => {
          haptic("success");
          if (verb === "accept" || verb === "takeover") open({ name: "ticket", id: chat.ticketId });
        },
        onError: () => haptic("error"),
      },
    );

  if (!staff) return <RequesterLive />;
  const offers = mine.filter((c) => c.state === "offered");
  const active = mine.filter((c) => c.state === "active");
  return (
    <div className="page live-page">
      {canWork(me) && <PresenceSwitch />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {canWork(me) && (
        <>
          <h2>{t("live.offers")}</h2>
          {offers.length === 0 && <p className="hint">{t("live.no_offers")}</p>}
          <ul className="list">
            {offers.map((c) => (
              <li key={c.id} data-offer={c.id}>
                <span>{t("live.offer_from", { name: c.requesterName, number: c.ticketNumber })}</span>
                <button type="button" data-accept onClick={() => act(c, "accept")}>
                  {t("live.accept")}
                </button>
                <button type="button" className="secondary" onClick={() => act(c, "decline")}>
                  {t("live.decline")}
                </button>
              </li>
            ))}
          </ul>
          <h2>{t("live.my_chats")}</h2>
          {active.length === 0 && <p className="hint">{t("live.no_chats")}</p>}
          <ul className="list">
            {active.map((c) => (
              <li key={c.id} data-active-chat={c.id}>
                <button
                  type="button"
                  className="link"
                  onClick={() => open({ name: "ticket", id: c.ticketId })}
                >
                  {c.ticketNumber} · {c.requesterName}
                </button>
                <button type="button" className="secondary" onClick={() => act(c, "end")}>
                  {t("live.end")}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {supervisor && board && (
        <LiveBoard
          board={board}
          canMove={me.role !== "auditor"}
          onMove={(c, verb, operatorId) => act(c, verb, operatorId)}
        />
      )}
    </div>
  );
}
