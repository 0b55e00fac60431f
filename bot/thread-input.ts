import type { Message } from "telegraf/types";
import { addTicketMessage, findThreadMessage, isWorker } from "../server/domain/index.js";
import type { BotContext } from "./context.js";
import { fileOf, refusedKindOf, textOf } from "./media.js";
import { ticketOfCard } from "./ticket-lookup.js";

/**
 * Adds a Telegram message (text, caption, file) to a ticket's thread. The origin
 * ids make a redelivered update a no-op and let edits find the stored message.
 */
export async function addToThread(
  ctx: BotContext,
  ticketId: string,
  message: Message,
  opts: { internal?: boolean; source: "bot" | "staff_chat"; body?: string; acknowledge?: boolean },
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
      acknowledge: opts.acknowledge ?? false,
      attachments: file ? [file] : [],
      origin: {
        chatId: message.chat.id,
        messageId: message.message_id,
        mediaGroupId: "media_group_id" in message ? message.media_group_id : undefined,
      },
    },
  });
}

/**
 * A requester's (or a staff member's) message in the private chat, into the thread
 * it belongs to: the ticket of the card or message it replies to, else `fallback`
 * (the ticket the reply conversation is about). False: it names no ticket. A
 * message no thread can hold is answered as such.
 */
export async function addPrivateMessage(
  ctx: BotContext,
  message: Message,
  fallback: string | undefined,
): Promise<boolean> {
  const refused = refusedKindOf(message);
  if (refused) {
    await ctx.reply(ctx.t("unsupported", { what: ctx.t(`kind.${refused}`) }));
    return true;
  }
  const repliedTo = "reply_to_message" in message ? message.reply_to_message : undefined;
  // A reply to a card names its ticket in the card's buttons; other messages are looked up.
  const card = ticketOfCard(repliedTo, ctx.botInfo?.id);
  const ref =
    repliedTo && !card ? await findThreadMessage(ctx.svc.db, message.chat.id, repliedTo.message_id) : null;
  const ticketId = card ?? ref?.ticketId ?? fallback;
  if (!ticketId) return false;
  // Staff answering the notification of an internal note write another note, never to the requester.
  const internal = Boolean(ref?.internal) && isWorker(ctx.svc.actor);
  // "✉️ Added to T-…" is queued with the message (the outbox answers a burst with one
  // post, within Telegram's limits); an album's later parts join its first: one answer.
  await addToThread(ctx, ticketId, message, { source: "bot", internal, acknowledge: true });
  return true;
}
