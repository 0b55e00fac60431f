import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { ticketCounters } from "../../../drizzle/schema/index.js";

/** YYYYMMDD of an instant in the given IANA time zone. */
export function dayKey(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}${get("month")}${get("day")}`;
}

/** T-YYYYMMDD-#### with at least four digits; a busy day simply gets more. */
export function formatTicketNumber(day: string, seq: number): string {
  return `T-${day}-${String(seq).padStart(4, "0")}`;
}

/**
 * Takes the next number of the day inside the caller's transaction. The upsert
 * locks the day's counter row until commit, so concurrent creates queue up and a
 * rolled-back create gives its number back: unique and gap-free.
 */
export async function nextTicketNumber(tx: DbOrTx, at: Date, timeZone: string): Promise<string> {
  const day = dayKey(at, timeZone);
  const [row] = await tx
    .insert(ticketCounters)
    .values({ day, last: 1 })
    .onConflictDoUpdate({ target: ticketCounters.day, set: { last: sql`${ticketCounters.last} + 1` } })
    .returning({ last: ticketCounters.last });
  return formatTicketNumber(day, row.last);
}

/** Accepts what people type: lower case, Persian/Arabic digits, spaces. */
export function normalizeTicketNumber(input: string): string {
  const western = input
    .trim()
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/\s+/g, "")
    .toUpperCase();
  return western.startsWith("T") ? western : `T-${western}`;
}
