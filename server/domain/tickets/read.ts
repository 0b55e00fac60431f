import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import {
  type Attachment,
  attachments,
  labels,
  type Message,
  messages,
  type Ticket,
  ticketEvents,
  ticketLabels,
  tickets,
  type User,
  users,
} from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { notFound } from "../errors.js";
import { canSeeInternal } from "../permissions.js";
import { parseInput } from "../validate.js";
import { normalizeTicketNumber } from "./numbering.js";
import { markThreadRead } from "./reads.js";
import { loadVisibleTicket } from "./shared.js";
import { type WithSla, withSla } from "./sla-field.js";

const byId = z.object({ ticketId: z.uuid() });

export interface TicketDetail extends WithSla<Ticket> {
  labelIds: string[];
  attachments: Attachment[];
  /** Who asked, and whether the bot can still reach them (they may have blocked it). */
  requester: Pick<User, "id" | "firstName" | "lastName" | "username" | "botBlocked"> | null;
  /** Who works it (a picker must show the current assignee even when it cannot offer them). */
  assignee: Pick<User, "id" | "firstName" | "lastName" | "username"> | null;
}

/** One ticket with its labels and the files attached at creation. */
export async function getTicket({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<TicketDetail> {
  const { ticketId } = parseInput(byId, input);
  const ticket = await loadVisibleTicket(ctx.db, ctx, ticketId);
  const labelRows = await ctx.db
    .select({ id: ticketLabels.labelId })
    .from(ticketLabels)
    .innerJoin(labels, eq(labels.id, ticketLabels.labelId))
    .where(eq(ticketLabels.ticketId, ticketId));
  const files = await ctx.db.select().from(attachments).where(eq(attachments.ticketId, ticketId));
  const [requester] = await ctx.db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      username: users.username,
      botBlocked: users.botBlocked,
    })
    .from(users)
    .where(eq(users.id, ticket.requesterId));
  // Staff see who works it in full; a requester sees the first name only, as the thread and
  // history name staff to them (never a username to contact outside the ticket).
  const [assigneeRow] = ticket.assigneeId
    ? await ctx.db
        .select({
          id: users.id,
          firstName: users.firstName,
          lastName: users.lastName,
          username: users.username,
        })
        .from(users)
        .where(eq(users.id, ticket.assigneeId))
    : [];
  const assignee =
    assigneeRow && !canSeeInternal(ctx.actor)
      ? { ...assigneeRow, lastName: null, username: null }
      : assigneeRow;
  return {
    ...withSla(ctx, ticket),
    labelIds: labelRows.map((l) => l.id),
    attachments: files.filter((f) => f.messageId === null),
    requester: requester ?? null,
    assignee: assignee ?? null,
  };
}

/** Finds a ticket by its human number (as typed: any case, Persian digits). */
export async function getTicketByNumber({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<Ticket> {
  const { number } = parseInput(z.object({ number: z.string().min(3).max(40) }), input);
  const normalized = normalizeTicketNumber(number);
  const [row] = await ctx.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.number, normalized));
  if (!row) throw notFound("ticket", normalized);
  return loadVisibleTicket(ctx.db, ctx, row.id);
}

export interface ThreadMessage extends Message {
  attachments: Attachment[];
  /** Who wrote it, as a thread shows people: their first name. */
  authorName: string | null;
}

/** The thread in order; internal notes only for staff, never for the requester. */
export async function listTicketMessages({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<ThreadMessage[]> {
  const { ticketId } = parseInput(byId, input);
  await loadVisibleTicket(ctx.db, ctx, ticketId);
  const internalOk = canSeeInternal(ctx.actor);
  const joined = await ctx.db
    .select({ message: messages, authorName: users.firstName })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(and(eq(messages.ticketId, ticketId), internalOk ? undefined : eq(messages.isInternal, false)))
    .orderBy(asc(messages.seq));
  if (joined.length === 0) return [];
  const rows = joined.map((r) => ({ ...r.message, authorName: r.authorName }));
  await markThreadRead(ctx, ticketId, rows[rows.length - 1].seq);
  const files = await ctx.db
    .select()
    .from(attachments)
    .where(
      inArray(
        attachments.messageId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((m) => ({ ...m, attachments: files.filter((f) => f.messageId === m.id) }));
}

/** Every change of the ticket in order, with who made it; note events are staff-only. */
export async function getTicketHistory({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  const { ticketId } = parseInput(byId, input);
  await loadVisibleTicket(ctx.db, ctx, ticketId);
  const joined = await ctx.db
    .select({ event: ticketEvents, actorName: users.firstName })
    .from(ticketEvents)
    .leftJoin(users, eq(users.id, ticketEvents.actorId))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.seq));
  const rows = joined.map((r) => ({ ...r.event, actorName: r.actorName }));
  return canSeeInternal(ctx.actor) ? rows : rows.filter((e) => e.kind !== "note" && e.kind !== "note_edit");
}
