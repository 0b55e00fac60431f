import { and, eq } from "drizzle-orm";
import { type Message, messages, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { queueFollowUps } from "../notifications/follow-up.js";
import { parseInput } from "../validate.js";
import { editMessageSchema, MESSAGE_EDIT_WINDOW_MS } from "./schemas.js";
import { changeEventOf, loadVisibleTicket, writeEvent } from "./shared.js";

/** The stored message an edit names: by the Telegram message it came from, or by id in its ticket. */
async function findEdited(ctx: ServiceContext, data: ReturnType<typeof editMessageSchema.parse>) {
  if ("origin" in data) {
    const [found] = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.tgChatId, data.origin.chatId), eq(messages.tgMessageId, data.origin.messageId)));
    return found;
  }
  // From the Mini App: the ticket must be one the actor may still see (a moved agent's old
  // branch is out of reach), and the message must belong to it.
  await loadVisibleTicket(ctx.db, ctx, data.ticketId);
  const [found] = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.id, data.messageId), eq(messages.ticketId, data.ticketId)));
  if (
    found &&
    found.authorId === ctx.actor.id &&
    ctx.clock.now().getTime() - found.createdAt.getTime() > MESSAGE_EDIT_WINDOW_MS
  )
    throw new DomainError("CONFLICT", {
      reason: "edit_window_passed",
      hours: MESSAGE_EDIT_WINDOW_MS / 3_600_000,
    });
  return found;
}

/**
 * Edits the text of a message, from Telegram (an edit of the message it came from) or from
 * the Mini App (by id, within 48 hours of writing it), and queues the same edit for every
 * copy the outbox delivered. Only the author can edit, only the text; the history keeps
 * what it was and became.
 */
export async function editTicketMessage({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<Message> {
  const data = parseInput(editMessageSchema, input);
  const found = await findEdited(ctx, data);
  if (!found) throw notFound("message");
  if (found.authorId !== ctx.actor.id) throw new DomainError("FORBIDDEN", { action: "message.edit" });
  // The same words again change nothing: no "edited" mark, no event, nothing relayed.
  if (found.body === data.body) return found;
  const editedAt = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(messages)
      .set({ body: data.body, editedAt })
      .where(eq(messages.id, found.id))
      .returning();
    // The history keeps what the text was and became; a note's edit stays among staff like the note.
    await writeEvent(tx, ctx, found.ticketId, found.isInternal ? "note_edit" : "message_edit", {
      from: found.body,
      to: updated.body,
    });
    // Every copy already delivered (the requester's, the staff chat's) gets edited
    // too, through the outbox like any other message the change causes.
    await queueFollowUps(tx, found.id, {
      kind: "edit",
      key: String(editedAt.getTime()),
      payload: {},
      deliveredOnly: true,
    });
    return updated;
  });
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, row.ticketId));
  ctx.notify.changed(changeEventOf("message.created", ticket, row.isInternal));
  return row;
}
