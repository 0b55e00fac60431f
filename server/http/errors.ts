import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { i18n } from "i18next";
import { LANGUAGES, type Language } from "../../drizzle/schema/index.js";
import { type ErrorCode, isDomainError } from "../domain/errors.js";
import type { Logger } from "../logger.js";

/** HTTP meaning of each domain error code. */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  VALIDATION: 422,
  INVALID_TRANSITION: 409,
  LIMIT_EXCEEDED: 413,
  RATE_LIMITED: 429,
  UNAUTHENTICATED: 401,
  USER_INACTIVE: 403,
  LAST_OWNER: 409,
  PRECONDITION_FAILED: 412,
  INTERNAL: 500,
};

/** The caller's language: a signed-in user's own, else Accept-Language, else the default. */
export function requestLanguage(c: Context, fallback: Language): Language {
  const own = c.get("language" as never) as Language | undefined;
  if (own) return own;
  const header = c.req.header("accept-language")?.slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(header ?? "") ? (header as Language) : fallback;
}

/**
 * app.onError: DomainError → its status and a translated message; anything else is
 * logged with the request id and answered with a generic 500 that leaks nothing.
 */
export function errorHandler(deps: { i18n: i18n; logger: Logger; defaultLanguage: Language }) {
  return (err: Error, c: Context) => {
    const requestId = (c.get("requestId" as never) as string | undefined) ?? "";
    const t = deps.i18n.getFixedT(requestLanguage(c, deps.defaultLanguage), "errors");
    if (isDomainError(err)) {
      // As in the bot: a refusal with a reason of its own ("already assigned", "Telegram id
      // taken") says that; other reasons fall back to the code's text.
      const details = err.details as Record<string, string>;
      const reason = typeof details.reason === "string" ? details.reason : "";
      const message = (reason && t(reason, { ...details, defaultValue: "" })) || t(err.code, details);
      return c.json({ code: err.code, message, requestId, issues: err.issues }, STATUS_OF[err.code]);
    }
    // Hono's validator refuses a body that is not JSON with a 400 of its own: same answer as any bad input.
    if (err instanceof HTTPException && err.status === 400) {
      const issues = [{ path: "", code: "invalid_json", message: err.message }];
      return c.json({ code: "VALIDATION", message: t("VALIDATION"), requestId, issues }, 422);
    }
    if (err instanceof HTTPException && err.status === 502) {
      deps.logger.warn({ err, requestId, path: c.req.path }, "upstream failed");
      return c.json({ code: "UPSTREAM", message: t("UPSTREAM"), requestId }, 502);
    }
    deps.logger.error({ err, requestId, path: c.req.path, method: c.req.method }, "unhandled error");
    return c.json({ code: "INTERNAL", message: t("INTERNAL"), requestId }, 500);
  };
}
