import { useCallback, useEffect, useRef, useState } from "react";
import { LIVE_TYPING_EVENT, type LiveTypingDetail } from "../../remote/live.js";
import { useSendTyping } from "../../remote/live-queries.js";

/**
 * While someone types, at most one "typing…" signal per this many ms goes out (the
 * server passes on one per 3 s per side; Telegram shows sendChatAction about 5 s).
 */
export const TYPING_SEND_MS = 4000;
/** How long "typing…" stays after the last signal: a little past the next one due. */
export const TYPING_SHOWN_MS = 6000;

/** A function for the composer's input: tells the other side of the chat we type, throttled. */
export function useTypingSender(chatId: string | null): () => void {
  const last = useRef(0);
  const send = useSendTyping();
  return useCallback(() => {
    if (!chatId) return;
    const now = Date.now();
    if (now - last.current < TYPING_SEND_MS) return;
    last.current = now;
    send(chatId);
  }, [chatId, send]);
}

/**
 * Whether the other side of this ticket's live chat is typing: a `live.typing`
 * event by someone else came in the last TYPING_SHOWN_MS. `settled` changes when
 * a message arrives, which ends the typing it announced.
 */
export function useTypingShown(ticketId: string, me: string, settled: unknown): boolean {
  const [until, setUntil] = useState(0);
  useEffect(() => {
    const onTyping = (e: Event) => {
      const d = (e as CustomEvent<LiveTypingDetail>).detail;
      if (d.ticketId === ticketId && d.by !== me) setUntil(Date.now() + TYPING_SHOWN_MS);
    };
    window.addEventListener(LIVE_TYPING_EVENT, onTyping);
    return () => window.removeEventListener(LIVE_TYPING_EVENT, onTyping);
  }, [ticketId, me]);
  useEffect(() => {
    void settled;
    setUntil(0);
  }, [settled]);
  // Draws again when the time is up, so "typing…" goes away by itself.
  const [, redraw] = useState(0);
  useEffect(() => {
    const left = until - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => redraw((n) => n + 1), left + 20);
    return () => clearTimeout(timer);
  }, [until]);
  return until > Date.now();
}
