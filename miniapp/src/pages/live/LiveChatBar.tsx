import { messageOf } from "../../api.js";
import { useApp } from "../../app-context.js";
import { formatNumber } from "../../format.js";
import { t } from "../../i18n.js";
import { type LiveChatOfTicket, useLiveChatOfTicket, useLiveMove } from "../../remote/live-queries.js";
import { haptic } from "../../telegram.js";
import { useTypingSender, useTypingShown } from "./live-typing.js";

export interface LiveChatOfScreen {
  chat: LiveChatOfTicket | null;
  /** The other side is typing. */
  typing: boolean;
  /** For the composer's input: our side is typing (throttled; only while the chat is talked). */
  onTyping(): void;
}

/**
 * The live chat of the ticket on screen (GET /api/live/ticket/:id), for tickets of
 * channel `live` only. Looked at again on every change event and, while waiting
 * (the place in the queue moves without the ticket changing), every few seconds.
 */
export function useLiveChat(ticketId: string, isLive: boolean, settled: unknown): LiveChatOfScreen {
  const { me } = useApp();
  // A failed read is not shown: the ticket screen shows its own errors, the bar stays as it was.
  const chat = useLiveChatOfTicket(ticketId, isLive).data ?? null;
  const talking = chat?.state === "active" && chat.side !== "observer";
  const onTyping = useTypingSender(talking && chat ? chat.id : null);
  const typing = useTypingShown(ticketId, me.id, settled);
  return { chat, typing: talking && typing, onTyping };
}

/**
 * What the live chat is doing, above the thread: for the requester their place in
 * the queue or who talks with them, for the operator whom they talk with; the
 * other side's "typing…"; Leave the queue / End for the two sides.
 */
export function LiveChatBar({ live }: { live: LiveChatOfScreen }) {
  const { lang } = useApp();
  const move = useLiveMove();
  const error = move.error ? messageOf(move.error) : null;
  const chat = live.chat;
  if (!chat) return null;
  const act = (verb: "leave" | "end") =>
    move.mutate(
      { chatId: chat.id, move: verb },
      { onSuccess: () => haptic("success"), onError: () => haptic("error") },
    );
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
        <button type="button" className="secondary" data-live-leave onClick={() => act("leave")}>
          {t("live.chat.leave")}
        </button>
      )}
      {mine && chat.state === "active" && (
        <button type="button" className="secondary" data-live-end onClick={() => act("end")}>
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
