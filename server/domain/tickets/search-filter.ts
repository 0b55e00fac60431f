import { type SQL, sql } from "drizzle-orm";
import { tickets } from "../../../drizzle/schema/index.js";
import type { Actor } from "../context.js";
import { canSeeInternal } from "../permissions.js";
import { foldedColumnContains, foldText } from "../search.js";

/** The ticket's own searchable text (number, title, description), stored folded (migration 0035). */
const ticketText = sql`${tickets}.search_fold`;

/**
 * ` and not <alias>.is_internal` for a reader who may not see staff notes (a
 * requester), nothing for staff: the one rule every message read of the queue
 * (search, last message, unread, match) goes by.
 */
export function notesHiddenFrom(actor: Actor, alias: string): SQL {
  return canSeeInternal(actor) ? sql`` : sql.raw(` and not ${alias}.is_internal`);
}

/**
 * The part of a search a trigram index is asked for. A trigram index reads, for each
 * three letters of the pattern, every row that has them: the letters every ticket
 * number shares (T-, the year, the zero padding) or every message of a kind shares
 * cost it more than the rare ones save (T-BENCH-0000777 in 3,000,000 messages: 250 ms
 * with the whole pattern, 23 ms with 0000777). The digits are what tell a number, a
 * room or an invoice apart, so a search with a run of six or more digits beside other
 * words asks the index for its longest such run only; the whole search is then tested
 * on what the index found (`strpos`, which no index serves).
 */
export function indexKey(q: string): string {
  const folded = foldText(q.trim());
  const tokens = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  // Folded, Persian and Arabic digits are Latin ones: a run reads the same in the database.
  // Six or more: a shorter run is often a year (2026, ۱۴۰۵), in every ticket number of it.
  const digitRuns = tokens.filter((t) => /^[0-9]{6,}$/.test(t));
  if (tokens.length < 2 || digitRuns.length === 0) return q;
  return digitRuns.reduce((a, b) => (b.length > a.length ? b : a));
}

/** `folded` (a stored folded column) contains `q`: the index asked for `indexKey(q)`, the rest tested after. */
function foldedSearch(folded: SQL, q: string): SQL {
  const key = indexKey(q);
  if (key === q) return foldedColumnContains(folded, q);
  return sql`(${foldedColumnContains(folded, key)} and strpos(${folded}, helpdesk_fold(${q})) > 0)`;
}

/** The ticket's own text contains `q`: walked along the list's order, or through tickets_search_fold_col_idx. */
export const ticketTextMatches = (q: string): SQL => foldedSearch(ticketText, q);

/** The tickets with a message the actor may read that contains `q`, through messages_body_fold_idx. */
const messageTicketIds = (actor: Actor, q: string): SQL =>
  sql`select m.ticket_id from messages m where ${foldedSearch(sql`m.body_fold`, q)}${notesHiddenFrom(actor, "m")}`;

/** A message of the ticket the actor may read contains `q`. */
export const ticketMessagesMatch = (actor: Actor, q: string): SQL =>
  sql`${tickets.id} in (${messageTicketIds(actor, q)})`;

/**
 * The queue's search as one condition: `q` in the ticket's number, title or
 * description, or in any message of its thread the actor may read (a requester
 * never matches a note). Ids from two index scans joined by a union, not "this or
 * that" per ticket, which would test every ticket. The export walks it; the queue's
 * pages go by the cheaper steps of search-page.ts.
 */
export function ticketSearchCondition(actor: Actor, q: string): SQL {
  return sql`${tickets.id} in (
    select ${tickets.id} from ${tickets} where ${foldedSearch(ticketText, q)}
    union
    ${messageTicketIds(actor, q)})`;
}

/**
 * The same test for one ticket at a time (its text, then its messages through
 * messages_ticket_idx): for a few hundred candidate rows, where the index scans
 * above would read every row that has a common word.
 */
export function ticketMatchesEach(actor: Actor, q: string): SQL {
  return sql`(${foldedColumnContains(ticketText, q)} or exists (select 1 from messages m
    where m.ticket_id = ${tickets.id} and ${foldedColumnContains(sql`m.body_fold`, q)}${notesHiddenFrom(actor, "m")}))`;
}
