import { useCallback, useEffect, useState } from "react";
import { api, messageOf } from "../../api.js";
import { canWork, isStaff, useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import { haptic } from "../../telegram.js";
import { LiveBoard } from "./LiveBoard.js";
import { LIVE_POLL_MS, type LiveBoardDto, type LiveChatDto } from "./live-api.js";
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
  const { me, version, open } = useApp();
  const [mine, setMine] = useState<LiveChatDto[]>([]);
  const [board, setBoard] = useState<LiveBoardDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const supervisor = SUPERVISORS.includes(me.role);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const timer = setInterval(reload, LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  useEffect(() => {
    void version;
    void tick;
    if (canWork(me))
      api<LiveChatDto[]>("GET", "/api/live/mine")
        .then(setMine)
        .catch((e) => setError(messageOf(e)));
    if (supervisor)
      api<LiveBoardDto>("GET", "/api/live/queue")
        .then(setBoard)
        .catch((e) => setError(messageOf(e)));
  }, [me, supervisor, version, tick]);

  const act = async (chat: LiveChatDto, verb: string, body?: unknown) => {
    try {
      await api("POST", `/api/live/${chat.id}/${verb}`, body);
      haptic("success");
      setError(null);
      if (verb === "accept" || verb === "takeover") open({ name: "ticket", id: chat.ticketId });
      reload();
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
      reload();
    }
  };

  if (!isStaff(me)) return <RequesterLive />;
  const offers = mine.filter((c) => c.state === "offered");
  const active = mine.filter((c) => c.state === "active");
  return (
    <div className="page live-page">
      {canWork(me) && <PresenceSwitch onChange={reload} />}
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
                <button type="button" data-accept onClick={() => void act(c, "accept")}>
                  {t("live.accept")}
                </button>
                <button type="button" className="secondary" onClick={() => void act(c, "decline")}>
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
                <button type="button" className="secondary" onClick={() => void act(c, "end")}>
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
          onMove={(c, verb, body) => void act(c, verb, body)}
        />
      )}
    </div>
  );
}
