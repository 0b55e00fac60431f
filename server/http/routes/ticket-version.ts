import type { Context } from "hono";
import { ticketVersion } from "../../domain/index.js";

/**
 * The ticket's version as an HTTP validator: GET /api/tickets/:id (and every
 * change's answer) sends it as ETag, and the changes take it back as If-Match so
 * a screen showing an old copy cannot silently overwrite what it never saw.
 */
export function withEtag<T extends { updatedAt: Date }>(c: Context, ticket: T): T {
  c.header("ETag", `"${ticketVersion(ticket)}"`);
  return ticket;
}

/**
 * The version the caller names in If-Match, or undefined when there is none or
 * it is `*` (any version will do). Only the first of a list counts: one screen
 * shows one copy.
 */
export function ifMatchOf(c: Context): string | undefined {
  const header = c.req.header("if-match")?.trim();
  if (!header || header === "*") return undefined;
  const first = header.split(",")[0].trim();
  return first.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}
