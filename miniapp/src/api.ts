import { t } from "./i18n.js";
import { ApiError, type FieldIssue } from "./remote/session.js";

/**
 * What every screen needs around a call: the error to show for a failed answer, and
 * the idempotency keys of sends. The calls themselves go through the typed client
 * (remote/client.ts) and the session from useApi(), never a module variable.
 */

export { ApiError, type FieldIssue } from "./remote/session.js";

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

/** What to show for a failed call: the server's translated message, else a generic one. */
export function messageOf(e: unknown): string {
  return e instanceof ApiError ? e.message : t("error.generic");
}
