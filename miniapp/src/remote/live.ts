import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useApi } from "./api-context.js";
import { queryKeys } from "./query-client.js";
import type { Session } from "./session.js";

const EVENT_TYPES = ["ticket.created", "ticket.updated", "message.created"] as const;

/** A window event: someone is typing in a live chat (`live.typing`; pages/live/live-typing.ts shows it). */
export const LIVE_TYPING_EVENT = "helpdesk:live-typing";
export interface LiveTypingDetail {
  ticketId: string;
  by: string;
}

/** Typing changes nothing cached: it goes to whoever shows that chat, nothing refetches. */
function onTypingEvent(e: MessageEvent) {
  try {
    const { ticketId, by } = JSON.parse(e.data) as LiveTypingDetail;
    window.dispatchEvent(new CustomEvent<LiveTypingDetail>(LIVE_TYPING_EVENT, { detail: { ticketId, by } }));
  } catch {
    // A malformed event shows nothing.
  }
}

/** What one change event makes stale: that ticket's screen, and the lists and counts it may appear in. */
export function invalidateFor(queries: QueryClient, ticketId: string | undefined): Promise<void> {
  const ticket = ticketId
    ? queries.invalidateQueries({ queryKey: queryKeys.ticket(ticketId) })
    : Promise.resolve();
  // Lists are only marked stale: the queue decides whether to refetch at once or, for
  // someone scrolled past its first page, to offer the latest with a button.
  void queries.invalidateQueries({ queryKey: queryKeys.lists, refetchType: "none" });
  void queries.invalidateQueries({ queryKey: queryKeys.dashboard });
  // A live chat's place, offers and board follow its ticket's events.
  void queries.invalidateQueries({ queryKey: queryKeys.live });
  // Our own writes wait for this: until the ticket is refetched its ETag is the one
  // before the write, and a change sent with it would be refused as stale (412).
  return ticket;
}

/**
 * Server-Sent Events of changes in scope, turned into cache invalidations: only the
 * ticket named by the event and the lists refetch, and only while someone shows them.
 * The stream carries the access token in its URL (EventSource sends no headers) and
 * the server ends it when that token expires: reconnect with a renewed one, and
 * mark everything stale, since events may have been missed meanwhile.
 */
export function useLiveUpdates(): void {
  const { session } = useApi();
  const queries = useQueryClient();
  useEffect(() => connectLive(session, queries), [session, queries]);
}

function connectLive(session: Session, queries: QueryClient): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onEvent = (e: MessageEvent) => {
    let ticketId: string | undefined;
    try {
      ticketId = JSON.parse(e.data).ticketId;
    } catch {
      ticketId = undefined;
    }
    void invalidateFor(queries, ticketId);
  };
  const connect = () => {
    source = new EventSource(`/api/events?access_token=${encodeURIComponent(session.accessToken())}`);
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
    source.addEventListener("live.typing", onTypingEvent);
    source.onerror = () => {
      source?.close();
      if (stopped) return;
      timer = setTimeout(() => {
        void session.renew().finally(() => {
          if (stopped) return;
          void queries.invalidateQueries();
          connect();
        });
      }, 2000);
    };
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
