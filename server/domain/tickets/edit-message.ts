import { and, eq } from "drizzle-orm";
import { type Message, messages, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { parseInput } from "../validate.js";
import { editMessageSchema } from "./schemas.js";
import { changeEventOf } from "./shared.js";

/**
 * Applies a Telegram edit to the stored message it came from. Only the author can
 * edit, and only the text: history keeps the time of the edit.
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
  const [row] = await ctx.db
    .update(messages)
    .set({ body: data.body, editedAt: ctx.clock.now() })
    .where(eq(messages.id, found.id))
    .returning();
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, row.ticketId));
  ctx.notify.changed(changeEventOf("message.created", ticket, row.isInternal));
  return row;
}
