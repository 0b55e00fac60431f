import type { Message } from "telegraf/types";
import { type Db, findThreadMessage } from "../server/domain/index.js";
import { decodeCallback } from "./ui/callback-data.js";

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

/** The ticket of a message in a chat, sent for it or written into it (see findThreadMessage). */
export async function ticketOfTelegramMessage(db: Db, chatId: number, messageId: number) {
  return (await findThreadMessage(db, chatId, messageId))?.ticketId ?? null;
}
