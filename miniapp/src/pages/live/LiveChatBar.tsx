import { useCallback, useEffect, useState } from "react";
import { api, messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { formatNumber } from "../../format.js";
import { t } from "../../i18n.js";
import { haptic } from "../../telegram.js";
import { LIVE_POLL_MS, type LiveChatOfTicketDto } from "./live-api.js";
import { useTypingSender, useTypingShown } from "./live-typing.js";

export interface LiveChatOfScreen {
  chat: LiveChatOfTicketDto | null;
  /** The other side is typing. */
  typing: boolean;
  /** For the composer's input: our side is typing (throttled; only while the chat is talked). */
  onTyping(): void;
  reload(): void;
}

/**
 * The live chat of the ticket on screen (GET /api/live/ticket/:id), for tickets of
 * channel `live` only. Looked at again on every change event and, while waiting
 * (the place in the queue moves without the ticket changing), every few seconds.
 */
export function useLiveChat(ticketId: string, isLive: boolean, settled: unknown): LiveChatOfScreen {
  const { me, version } = useApp();
  const [chat, setChat] = useState<LiveChatOfTicketDto | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    void version;
    void tick;
    if (!isLive) return;
    let current = true;
    api<{ chat: LiveChatOfTicketDto | null }>("GET", `/api/live/ticket/${ticketId}`)
      .then((r) => current && setChat(r.chat))
      .catch(() => {
        // The ticket screen shows its own errors; the bar just stays as it was.
      });
    return () => {
      current = false;
    };
  }, [ticketId, isLive, version, tick]);
  const waiting = chat?.state === "queued" || chat?.state === "offered";
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(reload, LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, reload]);
  const talking = chat?.state === "active" && chat.side !== "observer";
  const onTyping = useTypingSender(talking && chat ? chat.id : null);
  const typing = useTypingShown(ticketId, me.id, settled);
  return { chat, typing: talking && typing, onTyping, reload };
}

/**
 * What the live chat is doing, above the thread: for the requester their place in
 * the queue or who talks with them, for the operator whom they talk with; the
 * other side's "typing…"; Leave the queue / End for the two sides.
 */
export function LiveChatBar({ live }: { live: LiveChatOfScreen }) {
  const { lang } = useApp();
  const [error, setError] = useState<string | null>(null);
  const chat = live.chat;
  if (!chat) return null;
  const act = async (verb: "leave" | "end") => {
    try {
      await api("POST", `/api/live/${chat.id}/${verb}`, {});
      haptic("success");
      setError(null);
    } catch (e) {
      haptic("error");
      setError(messageOf(e));
    }
    live.reload();
  };
  const waiting = chat.state === "queued" || chat.state === "offered";
  const over = chat.state === "ended" || chat.state === "abandoned";
  const operator = chat.operatorName ?? "—";
  let status: string;
  if (over) status = t("live.chat.over");
  else if (chat.side === "requester")
    status =
      chat.state === "queued"
        ? t("live.chat.waiting", { position: formatNumber(chat.position ?? 1, lang) })
        : chat.state === "offered"
          ? t("live.chat.connecting")
          : t("live.chat.with_operator", { name: operator });
  else if (chat.side === "operator") status = t("live.chat.with_requester", { name: chat.requesterName });
  else
    status = waiting
      ? t("live.chat.observed_waiting")
      : t("live.chat.observed", { requester: chat.requesterName, operator });
  const mine = chat.side !== "observer";
  return (
    <div className="live-chat-bar" data-live-chat={chat.state} data-side={chat.side}>
      <p className="live-chat-status">
        <span aria-hidden="true">{over ? "⚪" : waiting ? "⏳" : "🟢"}</span> {status}
      </p>
      {live.typing && (
        <p className="hint live-typing" data-typing aria-live="polite">
          {chat.side === "requester"
            ? t("live.chat.operator_typing", { name: operator })
            : t("live.chat.requester_typing", { name: chat.requesterName })}
        </p>
      )}
      {mine && waiting && chat.side === "requester" && (
        <button type="button" className="secondary" data-live-leave onClick={() => void act("leave")}>
          {t("live.chat.leave")}
        </button>
      )}
      {mine && chat.state === "active" && (
        <button type="button" className="secondary" data-live-end onClick={() => void act("end")}>
          {t("live.chat.end")}
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
