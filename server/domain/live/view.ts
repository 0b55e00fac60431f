import { and, eq, inArray } from "drizzle-orm";
import { liveChats, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { canSeeTicket } from "../permissions.js";
import { parseInput } from "../validate.js";
import { type LiveChatView, viewsOf } from "./read.js";
import { liveTicketSchema } from "./schemas.js";

/** Which side of a live chat the viewer is on: the screen's wording and buttons follow it. */
export type LiveSide = "requester" | "operator" | "observer";

export interface LiveChatOfTicket extends LiveChatView {
  side: LiveSide;
}

/**
 * The live chat of a ticket, for its Mini App view: the state, place in the queue
 * and operator, and which side the viewer is on. Null when the ticket is no live
 * chat. Anyone who may see the ticket may see its chat; others get NOT_FOUND.
 */
export async function liveChatOfTicket({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<LiveChatOfTicket | null> {
  const { ticketId } = parseInput(liveTicketSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  const [ticket] = await ctx.db
    .select({ branchId: tickets.branchId, requesterId: tickets.requesterId })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!ticket || !canSeeTicket(ctx.actor, ticket))
    throw new DomainError("NOT_FOUND", { entity: "ticket", id: ticketId });
  const [chat] = await viewsOf(ctx.db, eq(liveChats.ticketId, ticketId));
  if (!chat) return null;
  const side: LiveSide =
    chat.requesterId === self ? "requester" : chat.operatorId === self ? "operator" : "observer";
  return { ...chat, side };
}

/**
 * A requester's own live chat still open (waiting, offered or being talked), for
 * the Mini App's Live screen; null when they have none. Anyone signed in may ask
 * about themselves.
 */
export async function myOpenLiveChat({ ctx }: { ctx: ServiceContext }): Promise<LiveChatView | null> {
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  const rows = await viewsOf(
    ctx.db,
    and(eq(liveChats.requesterId, self), inArray(liveChats.state, ["queued", "offered", "active"])),
  );
  // One open chat per requester at most (live_chats' unique index); the latest if ever more.
  return rows.at(-1) ?? null;
}
