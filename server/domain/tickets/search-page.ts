import { and, inArray, type SQL } from "drizzle-orm";
import { type Ticket, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { ticketMatchesEach, ticketMessagesMatch, ticketTextMatches } from "./search-filter.js";

/** What the queue hands its search: its filters (scope and cursor included) and its order. */
export interface SearchRequest {
  ctx: ServiceContext;
  q: string;
  filters: (SQL | undefined)[];
  /** The rows wanted: the page and one more (to know whether more follow). */
  want: number;
  /** The tickets meeting `where`, in the list's order, at most `want`. */
  select(where: (SQL | undefined)[]): Promise<Ticket[]>;
  /** The list's order (ORDER BY terms). */
  order: SQL[];
}

/**
 * How many of the newest tickets (in the list's order, after its filters) are tested
 * one by one, text and messages, first: a word many tickets have fills the page here.
 */
const WINDOW = 300;

/**
 * The queue's search, in steps that each cost little for the words they are for
 * (measured at a million tickets: docs/API.md, "Search and queue rows"). A trigram index reads every
 * row that has the word, so it suits rare words; walking the list's order suits common
 * ones; with the folded text stored (migration 0035) the planner has statistics to
 * choose by. The page is the first rows, in order, of the tickets whose text matches
 * and of the tickets with a matching message, each side complete.
 */
export async function searchTickets(r: SearchRequest): Promise<Ticket[]> {
  const { ctx, q, filters } = r;
  // 1. The newest few hundred, text and messages.
  const newest = ctx.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(...filters))
    .orderBy(...r.order)
    .limit(WINDOW);
  const near = await r.select([inArray(tickets.id, newest), ticketMatchesEach(ctx.actor, q)]);
  if (near.length >= r.want) return near;
  // 2. The ticket's own text and the messages, each the way the planner finds cheaper.
  const [byText, byMessages] = await Promise.all([
    r.select([...filters, ticketTextMatches(q)]),
    r.select([...filters, ticketMessagesMatch(ctx.actor, q)]),
  ]);
  if (byMessages.length === 0) return byText;
  if (byText.length === 0) return byMessages;
  // With the filters again: a ticket changed since either query is placed as it is now.
  const ids = [...new Set([...byText, ...byMessages].map((t) => t.id))];
  return r.select([...filters, inArray(tickets.id, ids)]);
}
