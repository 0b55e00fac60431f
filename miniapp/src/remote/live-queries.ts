import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { InferResponseType } from "hono/client";
import { useApi } from "./api-context.js";
import { type ApiClient, unwrap } from "./client.js";
import { queryKeys } from "./query-client.js";

/**
 * Live chat's data (docs/LIVE.md) through the typed client. Every query sits under
 * the `live` key, which each change event marks stale (remote/live.ts), so the
 * screens follow the chats as they did on the app's change counter. Offers expire
 * and queue places move on the server's clock without an event, so the screens that
 * show them also poll (LIVE_POLL_MS).
 */

type Live = ApiClient["live"];
/** One chat as the board and one's own list give it (server/domain/live/read.ts). */
export type LiveChat = InferResponseType<Live["mine"]["$get"], 200>[number];
/** The supervisors' board: chats in scope and the staff online with their load. */
export type LiveBoardData = InferResponseType<Live["queue"]["$get"], 200>;
/** A ticket's chat with the viewer's side (server/domain/live/view.ts). */
export type LiveChatOfTicket = NonNullable<
  InferResponseType<Live["ticket"][":ticketId"]["$get"], 200>["chat"]
>;
/** The live chat statistics of the reports screen. */
export type LiveReport = InferResponseType<Live["report"]["$get"], 200>;

export const PRESENCES = ["online", "busy", "offline"] as const;
export type Presence = (typeof PRESENCES)[number];

/** How often the Live screen looks again besides live updates (offers expire on the server's clock). */
export const LIVE_POLL_MS = 5000;

/** One's own offers and chats (agents and up). */
export function useMyLiveChats(enabled: boolean) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.livePart("mine"),
    queryFn: () => unwrap(client.live.mine.$get()),
    enabled,
    refetchInterval: LIVE_POLL_MS,
  });
}

/** The supervisors' board. */
export function useLiveBoard(enabled: boolean) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.livePart("board"),
    queryFn: () => unwrap(client.live.queue.$get()),
    enabled,
    refetchInterval: LIVE_POLL_MS,
  });
}

/** A requester's open chat (null: none), as found when the screen opened. */
export function useCurrentLiveChat() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.liveCurrent,
    queryFn: async () => (await unwrap(client.live.current.$get())).chat,
    // Asked afresh on each opening of the screen, and not again while it is shown.
    gcTime: 0,
    // A refusal or a network failure shows "Talk to an operator" with the error, as before.
    retry: false,
  });
}

/**
 * The chat of a live ticket on screen; looked at again every few seconds only while
 * it waits (the place in the queue moves without the ticket changing).
 */
export function useLiveChatOfTicket(ticketId: string, enabled: boolean) {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.liveOfTicket(ticketId),
    queryFn: async () => (await unwrap(client.live.ticket[":ticketId"].$get({ param: { ticketId } }))).chat,
    enabled,
    refetchInterval: (q) => {
      const state = q.state.data?.state;
      return state === "queued" || state === "offered" ? LIVE_POLL_MS : false;
    },
  });
}

export type LiveMove = "accept" | "decline" | "leave" | "end" | "takeover" | "transfer";

/**
 * One move on a chat. Whatever the answer, every live query is asked again: a refused
 * move (an offer that expired meanwhile) is as much news as an accepted one. Not
 * awaited: an accepted offer opens its ticket at once, the lists follow.
 */
export function useLiveMove() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ chatId, move, operatorId }: { chatId: string; move: LiveMove; operatorId?: string }) => {
      const param = { id: chatId };
      if (move === "transfer")
        return unwrap(client.live[":id"].transfer.$post({ param, json: { operatorId: operatorId ?? "" } }));
      return unwrap(client.live[":id"][move].$post({ param }));
    },
    onSettled: () => {
      void queries.invalidateQueries({ queryKey: queryKeys.live });
    },
  });
}

/**
 * Asks for an operator. The answer's chat is the stored row, not the view the screen
 * shows, so the requester's current chat is read again (outside business hours there is none).
 */
export function useAskLive() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(client.live.ask.$post({ json: {} })),
    onSuccess: (r) =>
      "chat" in r ? queries.invalidateQueries({ queryKey: queryKeys.liveCurrent }) : undefined,
  });
}

/** "Typing…" to the other side: a courtesy, so a failure is dropped (the message is what counts). */
export function useSendTyping() {
  const { client } = useApi();
  return (chatId: string) => {
    unwrap(client.live[":id"].typing.$post({ param: { id: chatId } })).catch(() => {});
  };
}

/** One's own presence for live chat. */
export function usePresence() {
  const { client } = useApi();
  return useQuery({
    queryKey: queryKeys.presence,
    queryFn: () => unwrap(client.presence.$get()),
    // The bot (/online) and the timeout job change it too, without an event: asked on each opening.
    staleTime: 0,
  });
}

/**
 * Sets one's presence. Going online gives the queue a turn, so one's offers and the
 * board are asked again too.
 */
export function useSetPresence() {
  const { client } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (presence: Presence) => unwrap(client.presence.$put({ json: { presence } })),
    onSuccess: (fresh) => {
      queries.setQueryData(queryKeys.presence, fresh);
      return queries.invalidateQueries({ queryKey: queryKeys.live });
    },
  });
}
