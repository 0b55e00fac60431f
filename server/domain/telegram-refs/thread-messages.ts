import { and, eq } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { messages, notifications, staffThreads } from "../../../drizzle/schema/index.js";

/**
 * Which ticket a Telegram message belongs to: a message the bot sent for it (a
 * notification), or a message someone wrote into it. Used to route replies.
 * `internal` says it was an internal note (or the notification of one): a reply to
 * it must stay among staff. Not scoped: the verb that adds to the thread checks
 * the actor's access to the ticket it names.
 */
export async function findThreadMessage(
  db: Db,
  chatId: number,
  messageId: number,
): Promise<{ ticketId: string; internal: boolean } | null> {
  const [sent] = await db
    .select({ ticketId: notifications.ticketId, internal: messages.isInternal })
    .from(notifications)
    .leftJoin(messages, eq(messages.id, notifications.messageId))
    .where(and(eq(notifications.chatId, chatId), eq(notifications.sentMessageId, messageId)));
  if (sent?.ticketId) return { ticketId: sent.ticketId, internal: sent.internal ?? false };
  const [written] = await db
    .select({ ticketId: messages.ticketId, internal: messages.isInternal })
    .from(messages)
    .where(and(eq(messages.tgChatId, chatId), eq(messages.tgMessageId, messageId)));
  return written ?? null;
}

/** The ticket whose forum topic this is, in a staff chat. */
export async function findTicketOfTopic(db: Db, chatId: number, threadId: number): Promise<string | null> {
  const [row] = await db
    .select({ ticketId: staffThreads.ticketId })
    .from(staffThreads)
    .where(and(eq(staffThreads.chatId, chatId), eq(staffThreads.messageThreadId, threadId)));
  return row?.ticketId ?? null;
}
