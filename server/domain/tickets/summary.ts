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
import { preparedPerDb } from "../prepared.js";
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
 * and its last few public messages, in two queries however long the thread is
 * (the card is shown on every tap, so it must not load the whole thread), both
 * prepared once.
 */
export async function getTicketSummary({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<TicketSummary> {
  const { ticketId, recent } = parseInput(summarySchema, input);
  const statements = summaryStatements(ctx.db);
  const [row] = await statements.ticket.execute({ ticketId });
  if (!row || !canSeeTicket(ctx.actor, row.ticket)) throw notFound("ticket", ticketId);
  const latest = recent === 0 ? [] : await statements.recent.execute({ ticketId, recent });
  return { ticket: row.ticket, category: row.category, recent: latest.reverse() };
}

const summaryStatements = preparedPerDb((db) => {
  const ticketId = sql.placeholder("ticketId");
  return {
    ticket: db
      .select({ ticket: tickets, category: categories })
      .from(tickets)
      .leftJoin(categories, eq(categories.id, tickets.categoryId))
      .where(eq(tickets.id, ticketId))
      .prepare("ticket_summary"),
    recent: db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticketId), eq(messages.isInternal, false), ne(messages.body, "")))
      .orderBy(desc(messages.seq))
      .limit(sql.placeholder("recent"))
      .prepare("ticket_summary_recent"),
  };
});
