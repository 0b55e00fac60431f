import type { Notification } from "../../drizzle/schema/index.js";
import type { ChatBacklog, SlaView } from "../../server/domain/index.js";
import { t } from "./i18n.js";
import { ApiError, type FieldIssue, type Session } from "./remote/session.js";

/**
 * The older call helper, kept for the screens not yet on the typed client
 * (remote/client.ts): Reports and its sections, the queue's filter lists, Dashboard,
 * the live-chat screens and the admin SLA, rules, assignment, delivery, audit and
 * scheduled-report screens. Its hand-written types below go with their last user.
 */

/** JSON turns Dates into strings. */
export type Wire<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};
/** A ticket's SLA as staff get it (null for a requester). */
export type SlaDto = SlaView;
/** Someone named on a ticket or offered as its assignee. */
export interface PersonDto {
  id: string;
  firstName: string;
  lastName: string | null;
  username: string | null;
}
export type NotificationDto = Wire<Notification>;
/** GET /api/notifications/backlog: one chat notifications are waiting for. */
export type ChatBacklogDto = Wire<ChatBacklog>;

export { ApiError, type FieldIssue } from "./remote/session.js";

/**
 * The session the old-style calls below use: bound once at boot. The one module
 * variable left; it goes away with the last `api()` caller.
 */
let legacySession: Session | null = null;
export function bindLegacySession(session: Session): void {
  legacySession = session;
}
function session(): Session {
  if (!legacySession) throw new Error("api() before sign-in");
  return legacySession;
}
/** The current access token (for a download link the old way). */
export const currentAccessToken = () => session().accessToken();

/** Headers a write may carry: its idempotency key, and the version of what it changes. */
interface CallOptions {
  /** Same key for retries of one send (a double tap, a lost answer): the server writes once. */
  idempotencyKey?: string;
  /** The ETag of the ticket as shown: the server refuses the change with 412 if it changed since. */
  ifMatch?: string | null;
}

/** One API call; an expired access token is refreshed once and the call repeated. */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  return (await call<T>(method, path, body, options)).data;
}

async function call<T>(
  method: string,
  path: string,
  body: unknown,
  options: CallOptions,
): Promise<{ data: T; etag: string | null }> {
  const isForm = body instanceof FormData;
  const res = await session()
    .fetch(path, {
      method,
      headers: {
        ...(body !== undefined && !isForm ? { "content-type": "application/json" } : {}),
        ...(options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : {}),
        ...(options.ifMatch ? { "if-match": options.ifMatch } : {}),
      },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    })
    .catch(() => {
      throw new ApiError(0, "NETWORK", t("chat.network_error"));
    });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw errorOf(res, data);
  return { data: data as T, etag: res.headers.get("etag") };
}

/**
 * The error to show for a failed answer: the server's translated message for what it
 * refused (4xx); for its own failures (5xx, a proxy's HTML page) the app's own words,
 * never a raw "Internal Server Error".
 */
export function errorOf(res: Response, data: { code?: string; message?: string; issues?: unknown } | null) {
  const own = res.status < 500 && typeof data?.message === "string" && data.message;
  return new ApiError(
    res.status,
    data?.code ?? "INTERNAL",
    own || t("error.generic"),
    Array.isArray(data?.issues) ? (data.issues as FieldIssue[]) : [],
  );
}

/**
 * One idempotency key per send action: the same while what is sent stays the same
 * (a retry, a double tap), a new one once it changes or went through. `what` is
 * the send's content in a comparable form.
 */
export function sendKeys() {
  let current: { what: string; key: string } | null = null;
  return {
    keyFor(what: string): string {
      if (current?.what !== what) current = { what, key: `miniapp-${crypto.randomUUID()}` };
      return current.key;
    },
    /** The send went through: the next one is a new send even with the same words. */
    sent() {
      current = null;
    },
  };
}

/**
 * Opens an attachment: fetched with the Bearer token (a plain link would carry
 * none), then shown from memory — pictures in place, other files downloaded.
 */
/** An attachment's bytes (after the server's permission check), refreshing the token once if it ran out. */
async function fetchFile(id: string): Promise<Response> {
  const res = await session().fetch(`/api/files/${id}`);
  if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
  return res;
}

/** An attachment as a blob of its own type, for a picture shown or a recording played in place. */
export async function fileBlob(id: string, mimeType: string): Promise<Blob> {
  const res = await fetchFile(id);
  return new Blob([await res.arrayBuffer()], { type: mimeType });
}

export async function openFile(id: string, fileName: string): Promise<void> {
  const res = await fetchFile(id);
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  if (res.headers.get("content-type")?.startsWith("image/")) link.target = "_blank";
  else link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** What to show for a failed call: the server's translated message, else a generic one. */
export function messageOf(e: unknown): string {
  return e instanceof ApiError ? e.message : t("error.generic");
}
