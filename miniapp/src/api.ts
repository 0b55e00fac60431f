import type {
  Attachment,
  Category,
  Label,
  Message,
  Notification,
  Ticket,
  TicketEvent,
} from "../../drizzle/schema/index.js";

/** JSON turns Dates into strings. */
export type Wire<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};
export type TicketDto = Wire<Ticket> & {
  labelIds?: string[];
  attachments?: Wire<Attachment>[];
  requester?: {
    id: string;
    firstName: string;
    lastName: string | null;
    username: string | null;
    botBlocked: boolean;
  } | null;
};
export type MessageDto = Wire<Message> & { attachments: Wire<Attachment>[] };
export type EventDto = Wire<TicketEvent>;
export type NotificationDto = Wire<Notification>;
export interface Me {
  id: string;
  firstName: string;
  language: "fa" | "en" | "ru";
  role: string;
  branchId: string | null;
  notifyPrefs?: Record<string, boolean>;
}
export interface UserDto extends Me {
  username: string | null;
  lastName: string | null;
}
export interface MetaDto {
  statuses: string[];
  priorities: string[];
  categories: Wire<Category>[];
  labels: Wire<Label>[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

async function refresh(): Promise<boolean> {
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

/** One API call; an expired access token is refreshed once and the call repeated. */
export async function api<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const isForm = body instanceof FormData;
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      ...(body !== undefined && !isForm ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  });
  if (res.status === 401 && !retried && (await refresh())) return api<T>(method, path, body, true);
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.code ?? "INTERNAL", data?.message ?? res.statusText);
  return data as T;
}
