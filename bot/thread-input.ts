import type { Message } from "telegraf/types";
import { addTicketMessage } from "../server/domain/index.js";
import type { BotContext } from "./context.js";
import { fileOf, textOf } from "./media.js";

/**
 * Adds a Telegram message (text, caption, file) to a ticket's thread. The origin
 * ids make a redelivered update a no-op and let edits find the stored message.
 */
export async function addToThread(
  ctx: BotContext,
  ticketId: string,
  message: Message,
  opts: { internal?: boolean; source: "bot" | "staff_chat"; body?: string },
) {
  const file = fileOf(message);
  return addTicketMessage({
    ctx: ctx.svc,
    known: ctx.replyFacts,
    input: {
      ticketId,
      body: opts.body ?? textOf(message) ?? "",
      internal: opts.internal ?? false,
      source: opts.source,
      attachments: file ? [file] : [],
      origin: {
        chatId: message.chat.id,
        messageId: message.message_id,
        mediaGroupId: "media_group_id" in message ? message.media_group_id : undefined,
      },
    },
  });
}
