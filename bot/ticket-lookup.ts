import { and, eq } from "drizzle-orm";
import type { Message } from "telegraf/types";
import type { Db } from "../drizzle/client.js";
import { messages, notifications, staffThreads } from "../drizzle/schema/index.js";
import { decodeCallback } from "./callback-data.js";

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

/**
 * The ticket of a card the bot itself sent in this chat (/my, /track, a deep
 * link), read from its buttons: every card carries Reply with the ticket's id,
 * and Telegram hands back the replied-to message whole, keyboard included. Cards
 * are not stored, so this costs no query. A message that is not the bot's own
 * (a user's, or one sent through an inline bot) names no ticket; the verb that
 * adds to the thread checks access anyway.
 */
export function ticketOfCard(message: Message | undefined, botId: number | undefined): string | null {
  if (!message || botId === undefined || message.from?.id !== botId || "via_bot" in message) return null;
  const markup = "reply_markup" in message ? message.reply_markup : undefined;
  for (const button of markup?.inline_keyboard.flat() ?? []) {
    const action = "callback_data" in button ? decodeCallback(button.callback_data) : null;
    if (action?.a === "reply") return action.t;
  }
  return null;
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
