import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorOf } from "../api.js";
import { canWork } from "../app-context.js";
import type { Me } from "../remote/client.js";
import { useApi } from "./api-context.js";
import { type ThreadMessage, type TicketData, unwrap, unwrapWithEtag } from "./client.js";
import { invalidateFor } from "./live.js";
import { queryKeys } from "./query-client.js";

/** One ticket's screen data: each part cached on its own, all under the ticket's key. */
export function useTicketData(id: string | undefined, me: Me) {
  const { client } = useApi();
  const enabled = Boolean(id);
  const param = { id: id ?? "" };
  const detail = useQuery({
    queryKey: queryKeys.ticketPart(param.id, "detail"),
    queryFn: () => unwrapWithEtag(client.tickets[":id"].$get({ param })),
    enabled,
  });
  const thread = useQuery({
    queryKey: queryKeys.ticketPart(param.id, "messages"),
    queryFn: () => unwrap(client.tickets[":id"].messages.$get({ param })),
    enabled,
  });
  const history = useQuery({
    queryKey: queryKeys.ticketPart(param.id, "history"),
    queryFn: () => unwrap(client.tickets[":id"].history.$get({ param })),
    enabled,
  });
  // What this person may pick follows the ticket's status and assignee: cached with it.
  // Pickers without choices are better than no screen: a refusal leaves them empty.
  const choices = useQuery({
    queryKey: queryKeys.ticketPart(param.id, "choices"),
    queryFn: () => unwrap(client.tickets[":id"].choices.$get({ param })).catch(() => null),
    enabled: enabled && canWork(me),
  });
  return { detail, thread, history, choices };
}

/** A deep link names a ticket by number: the id it has in this person's scope (or null). */
export function useTicketIdByNumber(number: string | undefined) {
  const { client } = useApi();
  return useQuery({
    queryKey: ["ticket-number", number ?? ""],
    queryFn: async () => {
      const page = await unwrap(client.tickets.$get({ query: { q: number ?? "", limit: "5" } as never }));
      return page.items.find((tk) => tk.number === number)?.id ?? null;
    },
    enabled: Boolean(number),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface SendInput {
  text: string;
  internal: boolean;
  files: File[];
  /** A canned reply sent as itself (server-rendered, with its files). */
  cannedId?: string;
  /** "Send and set status": the status to set once the message is in. */
  thenStatus?: string;
  /** Same for every attempt of one send (a double tap, a retry): the server writes once. */
  idempotencyKey: string;
}

/**
 * Sends a reply or a note. A text without files shows at once in the thread (optimistic,
 * marked as sending) and is replaced by the server's copy when the thread refetches.
 */
export function useSendMessage(ticketId: string, authorName: string, authorId: string) {
  const { session } = useApi();
  const queries = useQueryClient();
  const threadKey = queryKeys.ticketPart(ticketId, "messages");
  return useMutation({
    mutationKey: ["send", ticketId],
    mutationFn: async (input: SendInput) => {
      const headers = { "idempotency-key": input.idempotencyKey };
      const post = (path: string, body: BodyInit, json: boolean) =>
        session.fetch(path, {
          method: "POST",
          body,
          headers: json ? { ...headers, "content-type": "application/json" } : headers,
        });
      let res: Response;
      if (input.cannedId)
        res = await post(
          `/api/tickets/${ticketId}/canned`,
          JSON.stringify({ cannedReplyId: input.cannedId, internal: input.internal }),
          true,
        );
      else if (input.files.length) {
        const form = new FormData();
        form.set("body", input.text);
        form.set("internal", String(input.internal));
        for (const f of input.files) form.append("files", f);
        res = await post(`/api/tickets/${ticketId}/messages`, form, false);
      } else
        res = await post(
          `/api/tickets/${ticketId}/messages`,
          JSON.stringify({ body: input.text, internal: input.internal }),
          true,
        );
      if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
      if (input.thenStatus) {
        // The message is in: the status follows it, as the person asked in one tap.
        const status = await session.fetch(`/api/tickets/${ticketId}/status`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ status: input.thenStatus }),
        });
        if (!status.ok) throw errorOf(status, await status.json().catch(() => null));
      }
    },
    onMutate: async (input) => {
      if (input.cannedId || input.files.length) return;
      await queries.cancelQueries({ queryKey: threadKey });
      const pending = {
        id: `pending-${input.idempotencyKey}`,
        ticketId,
        authorId,
        authorName,
        body: input.text,
        isInternal: input.internal,
        createdAt: new Date().toISOString(),
        editedAt: null,
        attachments: [],
        pending: true,
      } as unknown as ThreadMessage;
      queries.setQueryData<ThreadMessage[]>(threadKey, (old) => [...(old ?? []), pending]);
    },
    onSettled: () => invalidateFor(queries, ticketId),
  });
}

/** A change of status, priority, labels or assignee, sent with the version shown (If-Match). */
export function useTicketChange(ticketId: string, etag: string | null) {
  const { session } = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ path, body }: { path: string; body: unknown }) => {
      const res = await session.fetch(path, {
        method: "PATCH",
        headers: { "content-type": "application/json", ...(etag ? { "if-match": etag } : {}) },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
      return (await res.json()) as TicketData;
    },
    // Someone else's change (412) or ours: either way the screen shows the ticket as it is now.
    onSettled: () => invalidateFor(queries, ticketId),
  });
}
