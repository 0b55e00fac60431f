import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  attachments,
  type Message,
  messages,
  notifications,
  type Ticket,
  tickets,
} from "../../../drizzle/schema/index.js";
import { isShadowed, pretendMessage } from "../abuse/shadow.js";
import { queueAutomation } from "../automation/queue.js";
import type { ServiceContext } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { holdForAlbum, joinWaitingAlbum, queueFollowUps } from "../notifications/follow-up.js";
import { receivedRow, recordTicketNotifications } from "../notifications/record.js";
import { canSeeTicket } from "../permissions.js";
import { followSla } from "../sla/follow.js";
import { parseInput } from "../validate.js";
import { applyStatus, requireReopenWindow } from "./change-status.js";
import { decideMessage } from "./message-decision.js";
import { addMessageInOneStatement, type MessageFacts } from "./one-statement.js";
import { type AttachmentInput, addMessageSchema } from "./schemas.js";
import { changeEventOf, insertAttachments, touchVisibleTicket, writeEvent } from "./shared.js";

export interface AddMessageResult {
  message: Message;
  ticket: Ticket;
}

/**
 * Adds a message to a ticket's thread. The requester writes public messages (and
 * their reply moves waiting_customer → in_progress, or reopens a finished ticket);
 * staff of the scope write public replies or internal notes. The first public staff
 * reply sets first_response_at. A Telegram message already stored (a redelivered
 * update) returns the stored one instead of a duplicate. The common case (a text
 * message that changes nothing else) takes two statements instead of a
 * transaction (one-statement.ts); everything else, and every refusal, comes here.
 */
export async function addTicketMessage({
  ctx,
  input,
  known,
}: {
  ctx: ServiceContext;
  input: unknown;
  /** The ticket's facts, when the caller read them already in this request (bot/middlewares/update-state.ts). */
  known?: MessageFacts | null;
}): Promise<AddMessageResult> {
  const data = parseInput(addMessageSchema, input);
  if (isShadowed(ctx)) return pretendAdd(ctx, data);
  const direct = await addMessageInOneStatement(ctx, data, known);
  if (direct) {
    ctx.notify.changed(changeEventOf("message.created", direct.ticket, direct.message.isInternal));
    return direct;
  }
  const result = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    let ticket = await touchVisibleTicket(tx, ctx, data.ticketId, now);
    const decision = decideMessage(ctx.actor, ticket, data);
    // A requester's message on a long-closed ticket does not reopen it: refused, they open a new one.
    if (decision.asRequester) await requireReopenWindow(tx, ctx, ticket, decision.nextStatus);
    const authorId = ctx.actor.id as string;

    const origin = data.origin;
    if (origin?.mediaGroupId) {
      const dup = await storedTelegramMessage(tx, origin, ticket.id);
      if (dup) return { message: dup, ticket, fresh: false };
      const album = await joinAlbum(tx, ctx, ticket.id, data);
      if (album) return { message: album, ticket, fresh: false };
    }
    // A Telegram message is stored once (unique origin): a redelivered update inserts nothing.
    const [message] = await tx
      .insert(messages)
      .values({
        ticketId: ticket.id,
        authorId,
        body: data.body,
        isInternal: data.internal,
        source: data.source,
        tgChatId: origin?.chatId ?? null,
        tgMessageId: origin?.messageId ?? null,
        mediaGroupId: origin?.mediaGroupId ?? null,
        createdAt: now,
      })
      .onConflictDoNothing({
        target: [messages.tgChatId, messages.tgMessageId],
        where: sql`${messages.tgMessageId} is not null`,
      })
      .returning();
    if (!message) {
      const dup = origin ? await storedTelegramMessage(tx, origin, ticket.id) : undefined;
      if (!dup) throw new DomainError("CONFLICT", { reason: "message_exists" });
      return { message: dup, ticket, fresh: false };
    }
    const fileIds = await insertAttachments(tx, ctx, ticket.id, message.id, data.attachments);
    const eventId = await writeEvent(tx, ctx, ticket.id, data.internal ? "note" : "message", {
      to: message.id,
    });

    if (decision.setsFirstResponse) {
      const [first] = await tx
        .update(tickets)
        .set({ firstResponseAt: now })
        .where(and(eq(tickets.id, ticket.id), isNull(tickets.firstResponseAt)))
        .returning();
      ticket = first ?? ticket;
    }
    await recordTicketNotifications(
      tx,
      ctx,
      ticket,
      eventId,
      decision.change(message.id, fileIds, origin?.chatId),
    );
    if (data.acknowledge && origin)
      await tx
        .insert(notifications)
        .values(receivedRow(ctx, ticket, eventId, message.id, data.internal, origin.chatId))
        .onConflictDoNothing();
    if (origin?.mediaGroupId) await holdForAlbum(tx, message.id);
    // Rules hear of public messages; notes are staff talking among themselves.
    if (!data.internal)
      await queueAutomation(tx, ctx, {
        ticketId: ticket.id,
        event: "message_created",
        messageId: message.id,
      });
    if (decision.movesSla) ticket = (await followSla(tx, ticket, decision.movesSla, now)).ticket;
    if (decision.nextStatus !== ticket.status)
      ticket = await applyStatus(tx, ctx, ticket, decision.nextStatus);
    return { message, ticket, fresh: true };
  });
  if (result.fresh)
    ctx.notify.changed(changeEventOf("message.created", result.ticket, result.message.isInternal));
  return { message: result.message, ticket: result.ticket };
}

/**
 * The message already stored for this Telegram message. One stored on another
 * ticket is never handed back (its words may be an internal note): CONFLICT.
 */
async function storedTelegramMessage(
  tx: DbOrTx,
  origin: { chatId: number; messageId: number },
  ticketId: string,
): Promise<Message | undefined> {
  const [row] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.tgChatId, origin.chatId), eq(messages.tgMessageId, origin.messageId)));
  if (row && row.ticketId !== ticketId) throw new DomainError("CONFLICT", { reason: "message_exists" });
  return row;
}

/**
 * Telegram delivers an album as several messages sharing a media_group_id: the
 * later ones join the first as more attachments (and its caption, if it had
 * none), so the thread shows one message. A redelivered part adds nothing twice.
 */
async function joinAlbum(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticketId: string,
  data: { body: string; attachments: AttachmentInput[]; origin?: { mediaGroupId?: string } },
): Promise<Message | null> {
  const group = data.origin?.mediaGroupId;
  if (!group || ctx.actor.id === null) return null;
  const [first] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.mediaGroupId, group),
        eq(messages.authorId, ctx.actor.id),
      ),
    );
  if (!first) return null;
  const known = await tx
    .select({ u: attachments.tgFileUniqueId })
    .from(attachments)
    .where(eq(attachments.messageId, first.id));
  const fresh = data.attachments.filter((a) => !known.some((k) => k.u && k.u === a.tgFileUniqueId));
  const added = await insertAttachments(tx, ctx, ticketId, first.id, fresh);
  // Whoever got the album's first part gets the new files too (under that message).
  if (added.length > 0) {
    await joinWaitingAlbum(tx, first.id, added);
    await queueFollowUps(tx, first.id, {
      kind: "album",
      key: added.join(","),
      payload: { albumFiles: added },
      deliveredOnly: false,
      claimedOnly: true,
    });
  }
  if (!first.body && data.body) {
    const [updated] = await tx
      .update(messages)
      .set({ body: data.body })
      .where(eq(messages.id, first.id))
      .returning();
    return updated;
  }
  return first;
}

/**
 * A shadow-banned requester's message: checked as a real one would be (their
 * ticket, its reopen window), answered, and not stored (server/domain/abuse/shadow.ts).
 */
async function pretendAdd(
  ctx: ServiceContext,
  data: z.output<typeof addMessageSchema>,
): Promise<AddMessageResult> {
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, data.ticketId));
  if (!ticket || !canSeeTicket(ctx.actor, ticket)) throw notFound("ticket", data.ticketId);
  const decision = decideMessage(ctx.actor, ticket, data);
  if (decision.asRequester) await requireReopenWindow(ctx.db, ctx, ticket, decision.nextStatus);
  return pretendMessage(ctx, data, ticket);
}
