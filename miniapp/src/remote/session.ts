import type { Me } from "../remote/client.js";

/** The failure of an API call: the server's code and (translated) message, and its field issues. */
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

export interface SignedIn {
  user: Me;
  startParam: string | null;
}

/**
 * Who the app is signed in as, and a fetch that carries it. Tokens live in this
 * object (made once at boot and handed down through React context), never in a
 * module variable, so two sessions (two tests, a re-sign-in) cannot see each other's.
 */
export interface Session {
  signIn(initData: string): Promise<SignedIn>;
  /** fetch with the Bearer token; an expired token is renewed once and the call repeated. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  accessToken(): string;
  /** Refresh token first; if that is refused, sign in again with fresh initData from Telegram. */
  renew(): Promise<boolean>;
}

export function createSession(options: {
  /** Asks Telegram for its current initData (the SDK re-reads the launch parameters). */
  freshInitData: () => string | null;
  /** Told when renewal failed for good: the app shows "reopen" instead of failing every call. */
  onExpired?: () => void;
}): Session {
  let access = "";
  let refreshToken = "";
  // One renewal at a time: refresh tokens rotate, and replaying a used one revokes the
  // family (the server's theft guard), so parallel 401s share one renewal.
  let renewing: Promise<boolean> | null = null;

  async function signIn(initData: string): Promise<SignedIn> {
    const res = await fetch("/api/auth/telegram", {
      method: "POST",
      headers: { authorization: `tma ${initData}` },
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, body?.code ?? "INTERNAL", body?.message ?? "");
    access = body.accessToken;
    refreshToken = body.refreshToken;
    return { user: body.user, startParam: body.startParam ?? null };
  }

  async function refreshOnce(): Promise<boolean> {
    if (!refreshToken) return false;
    const res = await fetch("/api/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => null);
    if (!res?.ok) return false;
    const body = await res.json();
    access = body.accessToken;
    refreshToken = body.refreshToken;
    return true;
  }

  async function renewOnce(): Promise<boolean> {
    if (await refreshOnce()) return true;
    // The refresh token is gone (revoked, expired): the stale initData we started with
    // may be too old, so ask Telegram for what it holds now and sign in with that.
    const initData = options.freshInitData();
    if (initData) {
      try {
        await signIn(initData);
        return true;
      } catch {
        // fall through: expired for good
      }
    }
    options.onExpired?.();
    return false;
  }

  function renew(): Promise<boolean> {
    renewing ??= renewOnce().finally(() => {
      renewing = null;
    });
    return renewing;
  }

  async function authorizedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const send = (token: string) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    };
    const sentWith = access;
    const res = await send(sentWith);
    if (res.status !== 401) return res;
    // Another call renewed meanwhile: just retry with the new token.
    if (sentWith !== access || (await renew())) return send(access);
    return res;
  }

  return { signIn, fetch: authorizedFetch, accessToken: () => access, renew };
}
