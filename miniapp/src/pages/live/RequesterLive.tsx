import { useState } from "react";
import { messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { t } from "../../i18n.js";
import { useAskLive, useCurrentLiveChat } from "../../remote/live-queries.js";
import { ScreenSkeleton } from "../../states.js";
import { haptic } from "../../telegram.js";
import { TicketScreen } from "../ticket/TicketScreen.js";

/**
 * A requester's Live screen: their open live chat, shown as its ticket (the chat
 * is the ticket's thread: messages and files through the composer, the live bar
 * above with their place or operator and the operator's "typing…"), or "Talk to
 * an operator". The chat found stays on screen after it ends, for the rating.
 */
export function RequesterLive() {
  const { open } = useApp();
  const current = useCurrentLiveChat();
  const asking = useAskLive();
  const [closed, setClosed] = useState(false);
  const failed = asking.error ?? (asking.isSuccess ? null : current.error);
  const error = failed ? messageOf(failed) : null;
  const chat = current.isError ? null : current.data;

  const ask = () =>
    asking.mutate(undefined, {
      onSuccess: (r) => {
        if (!("chat" in r)) setClosed(true);
        else haptic("success");
      },
      onError: () => haptic("error"),
    });

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
        <button type="button" data-live-ask disabled={asking.isPending} onClick={ask}>
          {t("live.chat.ask")}
        </button>
      )}
    </div>
  );
}
