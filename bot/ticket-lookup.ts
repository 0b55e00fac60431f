import { and, eq } from "drizzle-orm";
import type { Db } from "../drizzle/client.js";
import { messages, notifications, staffThreads } from "../drizzle/schema/index.js";

/**
 * Which ticket a Telegram message belongs to: a message the bot sent for it (a
 * notification), or a message someone wrote into it. Used to route replies.
 * `internal` says it was an internal note (or the notification of one): a reply to
 * it must stay among staff.
 */
export async function threadMessageRef(
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

export async function ticketOfTelegramMessage(db: Db, chatId: number, messageId: number) {
  return (await threadMessageRef(db, chatId, messageId))?.ticketId ?? null;
}

/** The ticket whose forum topic this is, in a staff chat. */
export async function ticketOfTopic(db: Db, chatId: number, threadId: number): Promise<string | null> {
  const [row] = await db
    .select({ ticketId: staffThreads.ticketId })
    .from(staffThreads)
    .where(and(eq(staffThreads.chatId, chatId), eq(staffThreads.messageThreadId, threadId)));
  return row?.ticketId ?? null;
}
