import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Message, type Ticket, ticketCounters } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { dayKey, formatTicketNumber } from "../tickets/numbering.js";
import type { addMessageSchema, createTicketSchema } from "../tickets/schemas.js";

/**
 * Shadow-bans in the API (docs/OPERATIONS.md "Bot abuse"). A shadow-banned
 * requester's writes are answered as if they were made, and nothing is stored:
 * the same rule as in the bot, where their messages are acknowledged and dropped.
 * The answers have the shapes of the real ones, so the Mini App behaves as usual;
 * files already uploaded for the write are forgotten here.
 */
export const isShadowed = (ctx: ServiceContext): boolean => ctx.actor.shadowed === true;

type FileRefs = { attachments?: { storagePath?: string }[] };

async function forgetUploads(ctx: ServiceContext, data: FileRefs): Promise<void> {
  const paths = (data.attachments ?? []).flatMap((a) => (a.storagePath ? [a.storagePath] : []));
  await Promise.all(paths.map((p) => ctx.files?.remove(p).catch(() => {})));
}

/** The message a shadow-banned requester believes they added to a ticket they may see. */
export async function pretendMessage(
  ctx: ServiceContext,
  data: z.output<typeof addMessageSchema>,
  ticket: Ticket,
): Promise<{ message: Message; ticket: Ticket }> {
  await forgetUploads(ctx, data);
  const message: Message = {
    id: randomUUID(),
    seq: 0,
    ticketId: ticket.id,
    authorId: ctx.actor.id as string,
    body: data.body,
    isInternal: false,
    source: data.source,
    tgChatId: null,
    tgMessageId: null,
    mediaGroupId: null,
    editedAt: null,
    createdAt: ctx.clock.now(),
  };
  return { message, ticket };
}

/**
 * The ticket a shadow-banned requester believes they opened, numbered as the next
 * real one would be (read, not taken: the day's numbers stay gap-free).
 */
export async function pretendTicket(
  tx: DbOrTx,
  ctx: ServiceContext,
  data: z.output<typeof createTicketSchema>,
  requesterId: string,
  branchId: string | null,
): Promise<Ticket> {
  await forgetUploads(ctx, data);
  const now = ctx.clock.now();
  const day = dayKey(now, ctx.settings.timeZone);
  const [counter] = await tx.select().from(ticketCounters).where(eq(ticketCounters.day, day));
  return {
    id: randomUUID(),
    number: formatTicketNumber(day, (counter?.last ?? 0) + 1),
    title: data.title,
    description: data.description,
    status: "open",
    priority: data.priority,
    categoryId: data.categoryId,
    branchId,
    requesterId,
    assigneeId: null,
    idempotencyKey: null,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    nextResponseDueAt: null,
    slaPolicyId: null,
    slaState: "none",
    slaClock: null,
    escalatedAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    resolutionCount: 0,
    rating: null,
    channel: data.channel,
    requesterChannel: "none",
    ratingComment: null,
    createdAt: now,
    updatedAt: now,
  };
}
