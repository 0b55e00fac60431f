import { and, eq } from "drizzle-orm";
import type { Db } from "../drizzle/client.js";
import { messages, notifications, staffThreads } from "../drizzle/schema/index.js";

/**
 * Which ticket a Telegram message belongs to: a message the bot sent for it (a
 * notification), or a message someone wrote into it. Used to route replies.
 */
export async function ticketOfTelegramMessage(
  db: Db,
  chatId: number,
  messageId: number,
): Promise<string | null> {
  const [sent] = await db
    .select({ ticketId: notifications.ticketId })
    .from(notifications)
    .where(and(eq(notifications.chatId, chatId), eq(notifications.sentMessageId, messageId)));
  if (sent?.ticketId) return sent.ticketId;
  const [written] = await db
    .select({ ticketId: messages.ticketId })
    .from(messages)
    .where(and(eq(messages.tgChatId, chatId), eq(messages.tgMessageId, messageId)));
  return written?.ticketId ?? null;
}

/** The ticket whose forum topic this is, in a staff chat. */
export async function ticketOfTopic(db: Db, chatId: number, threadId: number): Promise<string | null> {
  const [row] = await db
    .select({ ticketId: staffThreads.ticketId })
    .from(staffThreads)
    .where(and(eq(staffThreads.chatId, chatId), eq(staffThreads.messageThreadId, threadId)));
  return row?.ticketId ?? null;
}
