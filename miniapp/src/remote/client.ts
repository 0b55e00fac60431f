import { hc, type InferResponseType } from "hono/client";
import type { AppType, AuthType } from "../../../server/http/app.js";
import { errorOf } from "../api.js";
import { t } from "../i18n.js";
import { ApiError, type Session } from "./session.js";

/**
 * The typed API client: routes, inputs and answers come from the server's own
 * route types (AppType), so there is no hand-written DTO to drift from it.
 */
export function createApiClient(session: Session) {
  return hc<AppType>(`${location.origin}/api`, {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      session.fetch(input, init).catch(() => {
        throw new ApiError(0, "NETWORK", t("chat.network_error"));
      }),
  });
}
export type ApiClient = ReturnType<typeof createApiClient>;

/** A call's JSON, or the ApiError to show (the server's words for 4xx, ours for the rest). */
export async function unwrap<T>(pending: Promise<{ ok: boolean; status: number; json(): Promise<T> }>) {
  const res = await pending;
  if (res.ok) return (await res.json()) as T;
  const data = await res.json().catch(() => null);
  throw errorOf(res as unknown as Response, data as { code?: string; message?: string } | null);
}

/** Like unwrap, with the answer's ETag (the version a change sends back as If-Match). */
export async function unwrapWithEtag<T>(
  pending: Promise<{ ok: boolean; status: number; headers: Headers; json(): Promise<T> }>,
) {
  const res = await pending;
  const data = await unwrap(Promise.resolve(res));
  return { data, etag: res.headers.get("etag") };
}

type Tickets = ApiClient["tickets"];
/** A ticket as GET /api/tickets/:id answers it. */
export type TicketData = InferResponseType<Tickets[":id"]["$get"], 200>;
/** One message of the thread. */
export type ThreadMessage = InferResponseType<Tickets[":id"]["messages"]["$get"], 200>[number];
/** A file of a message, as the thread gives it. */
export type AttachmentData = ThreadMessage["attachments"][number];
/** One row of the queue. */
export type QueueRow = InferResponseType<Tickets["$get"], 200>["items"][number];
export type Choices = InferResponseType<Tickets[":id"]["choices"]["$get"], 200>;
export type HistoryEvent = InferResponseType<Tickets[":id"]["history"]["$get"], 200>[number];

/** Everything the app draws its controls from (statuses, priorities, categories, labels, branches). */
export type MetaData = InferResponseType<ApiClient["meta"]["$get"], 200>;
type AuthClient = ReturnType<typeof hc<AuthType>>;
/** The signed-in person as the server answers the sign-in (POST /api/auth/telegram). */
export type Me = InferResponseType<AuthClient["telegram"]["$post"], 200>["user"];
/** Someone a list offers (an assignee, an actor), as the ticket's choices name them. */
export type Person = Choices["assignees"][number];
