import { type SQL, sql } from "drizzle-orm";
import { tickets } from "../../../drizzle/schema/index.js";
import type { Actor } from "../context.js";
import { canSeeInternal } from "../permissions.js";
import { foldedContains } from "../search.js";

/** The ticket's own searchable text; the same expression as its trigram index (migration 0017). */
export const ticketText = sql`${tickets.number} || ' ' || ${tickets.title} || ' ' || ${tickets.description}`;

/**
 * ` and not <alias>.is_internal` for a reader who may not see staff notes (a
 * requester), nothing for staff: the one rule every message read of the queue
 * (search, last message, unread, match) goes by.
 */
export function notesHiddenFrom(actor: Actor, alias: string): SQL {
  return canSeeInternal(actor) ? sql`` : sql.raw(` and not ${alias}.is_internal`);
}

/**
 * The queue's search: `q` in the ticket's number, title or description, or in any
 * message of its thread the actor may read (a requester never matches a note).
 * Written as ids from two index scans joined by a union, not as "this or that"
 * per ticket: an OR with a subquery would fold every ticket's text to test it,
 * where each side here is one trigram index scan (tickets_search_fold_idx,
 * messages_search_fold_idx).
 */
export function ticketSearchCondition(actor: Actor, q: string): SQL {
  return sql`${tickets.id} in (
    select ${tickets.id} from ${tickets} where ${foldedContains(ticketText, q)}
    union
    select m.ticket_id from messages m where ${foldedContains(sql`m.body`, q)}${notesHiddenFrom(actor, "m")})`;
}

/**
 * The same test for one ticket at a time (its text, then its messages through
 * messages_ticket_idx): for a few hundred candidate rows, where the index scans
 * above would read every row that has a common word.
 */
export function ticketMatchesEach(actor: Actor, q: string): SQL {
  return sql`(${foldedContains(ticketText, q)} or exists (select 1 from messages m
    where m.ticket_id = ${tickets.id} and ${foldedContains(sql`m.body`, q)}${notesHiddenFrom(actor, "m")}))`;
}
