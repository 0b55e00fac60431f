import { and, eq } from "drizzle-orm";
import { type Message, messages, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { queueFollowUps } from "../notifications/follow-up.js";
import { parseInput } from "../validate.js";
import { editMessageSchema } from "./schemas.js";
import { changeEventOf, writeEvent } from "./shared.js";

/**
 * Applies a Telegram edit to the stored message it came from, and queues the same
 * edit for every copy the outbox delivered. Only the author can edit, only the text.
 */
export async function editTicketMessage({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<Message> {
  const data = parseInput(editMessageSchema, input);
  const [found] = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.tgChatId, data.origin.chatId), eq(messages.tgMessageId, data.origin.messageId)));
  if (!found) throw notFound("message");
  if (found.authorId !== ctx.actor.id) throw new DomainError("FORBIDDEN", { action: "message.edit" });
  const editedAt = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(messages)
      .set({ body: data.body, editedAt })
      .where(eq(messages.id, found.id))
      .returning();
    // The history keeps what the text was and became; a note's edit stays among staff like the note.
    if (found.body !== updated.body)
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
