import type {
  Attachment,
  Branch,
  Category,
  Label,
  Message,
  Notification,
  Ticket,
  TicketEvent,
} from "../../drizzle/schema/index.js";
import type { CannedReplyItem, ChatBacklog, SlaView } from "../../server/domain/index.js";
import { t } from "./i18n.js";

/** JSON turns Dates into strings. */
export type Wire<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};
/** A ticket's SLA as staff get it (null for a requester). */
export type SlaDto = SlaView;
export type TicketDto = Wire<Ticket> & {
  sla?: SlaDto | null;
  labelIds?: string[];
  attachments?: Wire<Attachment>[];
  requester?: {
    id: string;
    firstName: string;
    lastName: string | null;
    username: string | null;
    botBlocked: boolean;
  } | null;
  assignee?: PersonDto | null;
};
/** Someone named on a ticket or offered as its assignee. */
export interface PersonDto {
  id: string;
  firstName: string;
  lastName: string | null;
  username: string | null;
}
/** GET /api/tickets/:id/choices: what this person may pick for the ticket. */
export interface ChoicesDto {
  assignees: (PersonDto & { role: string })[];
  canUnassign: boolean;
  statuses: string[];
}
export type MessageDto = Wire<Message> & { attachments: Wire<Attachment>[]; authorName: string | null };
export type EventDto = Wire<TicketEvent> & { actorName?: string | null };
export type NotificationDto = Wire<Notification>;
export type CannedReplyDto = Wire<CannedReplyItem>;
/** GET /api/notifications/backlog: one chat notifications are waiting for. */
export type ChatBacklogDto = Wire<ChatBacklog>;
export interface Me {
  id: string;
  firstName: string;
  language: "fa" | "en" | "ru";
  role: string;
  branchId: string | null;
  notifyPrefs?: Record<string, boolean>;
  /** Staff marked away are passed by auto-assignment. */
  away?: boolean;
}
export interface UserDto extends Me {
  telegramId: number;
  username: string | null;
  lastName: string | null;
  /** Present in the people list (GET /api/users), for those who manage. */
  isActive?: boolean;
  skills?: string[];
  /** Most open tickets auto-assignment gives them (null: the policy's capacity). */
  maxOpenTickets?: number | null;
  /** Banned or shadow-banned (people list; docs/OPERATIONS.md "Bot abuse"). */
  moderation?: "none" | "banned" | "shadow";
}
export interface MetaDto {
  statuses: string[];
  priorities: string[];
  categories: Wire<Category>[];
  labels: Wire<Label>[];
  branches?: Wire<Branch>[];
}

/** One field at fault in a 422 (or a 409 that names one): zod's code, or the domain's. */
export interface FieldIssue {
  path: string;
  code: string;
  limit?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

let accessToken = "";
let refreshToken = "";

export const currentAccessToken = () => accessToken;

/** Exchanges Telegram's initData for our tokens. */
export async function signIn(initData: string): Promise<{ user: Me; startParam: string | null }> {
  const res = await fetch("/api/auth/telegram", {
    method: "POST",
    headers: { authorization: `tma ${initData}` },
  });
  const body = await res.json();
  if (!res.ok) throw new ApiError(res.status, body.code, body.message);
  accessToken = body.accessToken;
  refreshToken = body.refreshToken;
  return body;
}

/**
 * One refresh at a time: refresh tokens rotate, and replaying one that was already
 * used revokes the whole family (the server's theft guard), so parallel 401s must
 * share the same refresh instead of each starting its own.
 */
let refreshing: Promise<boolean> | null = null;
export function refresh(): Promise<boolean> {
  refreshing ??= refreshOnce().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function refreshOnce(): Promise<boolean> {
  if (!refreshToken) return false;
  const res = await fetch("/api/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refreshToken }),
  });
  if (!res.ok) return false;
  const body = await res.json();
  accessToken = body.accessToken;
  refreshToken = body.refreshToken;
  return true;
}

/** Headers a write may carry: its idempotency key, and the version of what it changes. */
export interface CallOptions {
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

/** A call whose answer's ETag matters (GET /api/tickets/:id): the version to send back as If-Match. */
export async function apiWithEtag<T>(
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<{ data: T; etag: string | null }> {
  return call<T>(method, path, body, options);
}

async function call<T>(
  method: string,
  path: string,
  body: unknown,
  options: CallOptions,
  retried = false,
): Promise<{ data: T; etag: string | null }> {
  const isForm = body instanceof FormData;
  // If another call refreshed meanwhile, a 401 for the old token just retries with the new one.
  const sentWith = accessToken;
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${sentWith}`,
      ...(body !== undefined && !isForm ? { "content-type": "application/json" } : {}),
      ...(options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : {}),
      ...(options.ifMatch ? { "if-match": options.ifMatch } : {}),
    },
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  });
  if (res.status === 401 && !retried && (sentWith === accessToken ? await refresh() : true))
    return call<T>(method, path, body, options, true);
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok)
    throw new ApiError(
      res.status,
      data?.code ?? "INTERNAL",
      data?.message ?? res.statusText,
      Array.isArray(data?.issues) ? data.issues : [],
    );
  return { data: data as T, etag: res.headers.get("etag") };
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
  const get = () => fetch(`/api/files/${id}`, { headers: { authorization: `Bearer ${accessToken}` } });
  let res = await get();
  if (res.status === 401 && (await refresh())) res = await get();
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    throw new ApiError(res.status, data?.code ?? "INTERNAL", data?.message ?? res.statusText);
  }
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
