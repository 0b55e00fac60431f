import { and, desc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import {
  type Category,
  categories,
  type Message,
  messages,
  type Ticket,
  tickets,
} from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { notFound } from "../errors.js";
import { canSeeTicket } from "../permissions.js";
import { columnsOf, preparedPerDb } from "../prepared.js";
import { parseInput } from "../validate.js";

const summarySchema = z.object({
  ticketId: z.uuid(),
  /** How many of the latest public messages to include. */
  recent: z.number().int().min(0).max(20).default(3),
});

export interface TicketSummary {
  ticket: Ticket;
  category: Category | null;
  /** The latest public messages with text, oldest first (internal notes never appear here). */
  recent: Message[];
}

/**
 * A ticket at a glance, for the bot's ticket card: the ticket with its category
 * and its last few public messages, however long the thread is (the card is
 * shown on every tap, so it must not load the whole thread), in one prepared
 * statement: the messages come by a lateral join, one row each.
 */
export async function getTicketSummary({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<TicketSummary> {
  const { ticketId, recent } = parseInput(summarySchema, input);
  const rows = await summaryStatement(ctx.db).execute({ ticketId, recent });
  const row = rows[0];
  if (!row || !canSeeTicket(ctx.actor, row.ticket)) throw notFound("ticket", ticketId);
  // One row per message (newest first), or one with no message.
  const latest = rows.flatMap((r) => (r.message?.id ? [r.message as Message] : []));
  return { ticket: row.ticket, category: row.category, recent: latest.reverse() };
}

/** The ticket, its category and its latest public messages, in one prepared statement. */
const summaryStatement = preparedPerDb((db) => {
  const latest = db
    .select()
    .from(messages)
    .where(and(eq(messages.ticketId, tickets.id), eq(messages.isInternal, false), ne(messages.body, "")))
    .orderBy(desc(messages.seq))
    .limit(sql.placeholder("recent"))
    .as("latest");
  return db
    .select({ ticket: tickets, category: categories, message: columnsOf(latest, messages) })
    .from(tickets)
    .leftJoin(categories, eq(categories.id, tickets.categoryId))
    .leftJoinLateral(latest, sql`true`)
    .where(eq(tickets.id, sql.placeholder("ticketId")))
    .orderBy(desc(latest.seq))
    .prepare("ticket_summary");
});
