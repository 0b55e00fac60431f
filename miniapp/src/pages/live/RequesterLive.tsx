import { useEffect, useState } from "react";
import { api, messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import { ScreenSkeleton } from "../../states.js";
import { haptic } from "../../telegram.js";
import { TicketScreen } from "../ticket/TicketScreen.js";
import type { LiveChatDto } from "./live-api.js";

/**
 * A requester's Live screen: their open live chat, shown as its ticket (the chat
 * is the ticket's thread: messages and files through the composer, the live bar
 * above with their place or operator and the operator's "typing…"), or "Talk to
 * an operator". The chat found stays on screen after it ends, for the rating.
 */
export function RequesterLive() {
  const { open } = useApp();
  const [chat, setChat] = useState<LiveChatDto | null | undefined>(undefined);
  const [closed, setClosed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    api<{ chat: LiveChatDto | null }>("GET", "/api/live/current")
      .then((r) => setChat(r.chat))
      .catch((e) => {
        setChat(null);
        setError(messageOf(e));
      });
  }, []);

  const ask = async () => {
    setAsking(true);
    try {
      const r = await api<{ outcome: string; chat?: LiveChatDto }>("POST", "/api/live/ask", {});
      setError(null);
      if (r.outcome === "closed_hours" || !r.chat) setClosed(true);
      else {
        haptic("success");
        setChat(r.chat);
      }
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    } finally {
      setAsking(false);
    }
  };

  if (chat === undefined) return <ScreenSkeleton />;
  if (chat) return <TicketScreen id={chat.ticketId} key={chat.ticketId} />;
  return (
    <div className="page live-page live-ask">
      <h2>{t("live.chat.title")}</h2>
      <p className="hint">{t("live.chat.intro")}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {closed ? (
        <>
          <p className="hint" data-live-closed>
            {t("live.chat.closed_hours")}
          </p>
          <button type="button" onClick={() => open({ name: "new" })}>
            {t("live.chat.new_ticket")}
          </button>
        </>
      ) : (
        <button type="button" data-live-ask disabled={asking} onClick={() => void ask()}>
          {t("live.chat.ask")}
        </button>
      )}
    </div>
  );
}
