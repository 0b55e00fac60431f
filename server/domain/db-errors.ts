/** The error and the causes under it (drizzle wraps the driver's error), a few levels deep. */
function* causes(e: unknown): Generator<{ code?: unknown; message?: unknown }> {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    yield cur as { code?: unknown; message?: unknown };
    cur = (cur as { cause?: unknown }).cause;
  }
}

/** Finds the PostgreSQL error code under drizzle's wrapper (both drivers). */
function pgCode(e: unknown): string | undefined {
  for (const { code } of causes(e)) if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  return undefined;
}

export const isUniqueViolation = (e: unknown) => pgCode(e) === "23505";
export const isForeignKeyViolation = (e: unknown) => pgCode(e) === "23503";

/** postgres.js's own codes, and the socket's, for a database that cannot be reached. */
const UNREACHABLE_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
/** SQLSTATEs of a server going away or not taking connections (class 08, shutdowns, too many clients). */
const UNAVAILABLE_STATES = /^(08...|57P01|57P02|57P03|53300)$/;

/**
 * The database could not do the work at all (unreachable, restarting, closed at
 * shutdown): nothing of it was kept, and the same work may succeed later. The bot
 * hands such an update back to Telegram to deliver again instead of dropping it.
 * Errors of the work itself (a constraint, a bad value) are not this.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (const { code, message } of causes(e)) {
    if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_STATES.test(code)))
      return true;
    if (typeof message === "string" && /^PGlite is clos(ed|ing)/.test(message)) return true;
  }
  return false;
}
