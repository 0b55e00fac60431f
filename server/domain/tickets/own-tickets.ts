import { desc, eq, sql } from "drizzle-orm";
import { tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { preparedPerDb } from "../prepared.js";
import type { listTicketsSchema } from "./schemas.js";

type Filter = (typeof listTicketsSchema)["_output"];

/**
 * The first page of someone's own tickets, newest first: the bot's /my on every
 * call. listTickets builds its query from the filters each time, which costs
 * more CPU than running it; this one is prepared once. The tickets someone
 * opened are always in their scope (permissions.ts, ticketScopeFilter), so no
 * scope condition is left out. undefined: another query, for listTickets to build.
 */
export async function ownTicketsFirstPage(ctx: ServiceContext, f: Filter) {
  const onlyOwn =
    f.requesterId !== undefined &&
    f.requesterId === ctx.actor.id &&
    f.sort === "created_desc" &&
    Object.entries(f).every(([key, value]) => value === undefined || ALLOWED.has(key));
  if (!onlyOwn) return undefined;
  return ownStatements(ctx.db).firstPage.execute({ requesterId: f.requesterId, limit: f.limit + 1 });
}

const ALLOWED = new Set(["requesterId", "sort", "limit"]);

const ownStatements = preparedPerDb((db) => ({
  // The same order as listTickets' created_desc (created_at, then id), so its cursors continue it.
  firstPage: db
    .select()
    .from(tickets)
    .where(eq(tickets.requesterId, sql.placeholder("requesterId")))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(sql.placeholder("limit"))
    .prepare("own_tickets_first_page"),
}));
