import { Composer } from "telegraf";
import type { Message } from "telegraf/types";
import { findThreadMessage, getTicket, isWorker, listTickets } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { fileOf, isStorable, textOf } from "../media.js";
import { addToThread } from "../thread-input.js";
import { ticketOfCard } from "../ticket-lookup.js";
import { encodeCallback } from "../ui/callback-data.js";
import { replyLast } from "../webhook-answer.js";
import { newTicketOnMessage } from "./new-ticket.js";

/**
 * What a requester writes in the private chat, outside commands: an answer in the
 * /new conversation, a reply to a ticket (after tapping Reply, or as a Telegram
 * reply to one of its messages), or, with one open ticket, a question which.
 */
export const privateMessagesFeature = new Composer<BotContext>();

privateMessagesFeature.on("message", async (ctx, next) => {
  if (ctx.chat.type !== "private") return next();
  const message = ctx.message as Message;
  const text = textOf(message);
  if (text?.startsWith("/")) {
    await ctx.reply(ctx.t("unknown_command"));
    return;
  }
  if (ctx.session.newTicket) return newTicketOnMessage(ctx, message);
  if (!isStorable(message)) {
    await ctx.reply(ctx.t("unsupported"));
    return;
  }
  const repliedTo = "reply_to_message" in message ? message.reply_to_message : undefined;
  // A reply to a card names its ticket in the card's buttons; other messages are looked up.
  const card = ticketOfCard(repliedTo, ctx.botInfo?.id);
  const ref =
    repliedTo && !card ? await findThreadMessage(ctx.svc.db, ctx.chat.id, repliedTo.message_id) : null;
  const ticketId = card ?? ref?.ticketId ?? ctx.session.replyTo;
  if (ticketId) {
    // Staff answering the notification of an internal note write another note, never to the requester.
    const internal = Boolean(ref?.internal) && isWorker(ctx.svc.actor);
    const { ticket, message: stored } = await addToThread(ctx, ticketId, message, {
      source: "bot",
      internal,
    });
    // Later parts of an album join its first message: one answer per album.
    if (stored.tgMessageId === message.message_id)
      await replyLast(ctx, ctx.t(internal ? "staff.note_saved" : "reply.added", { number: ticket.number }));
    return;
  }
  await askWhichTicket(ctx, message);
});

async function askWhichTicket(ctx: BotContext, message: Message) {
  const text = textOf(message) ?? "";
  const file = fileOf(message);
  const open = await listTickets({
    ctx: ctx.svc,
    input: { requesterId: ctx.user.id, status: ["open", "in_progress", "waiting_customer"], limit: 2 },
  });
  if (open.items.length !== 1) {
    await ctx.reply(ctx.t("reply.no_ticket"), {
      reply_markup: {
        inline_keyboard: [
          [{ text: ctx.t("button.new_ticket"), callback_data: encodeCallback({ a: "flow", f: "new" }) }],
        ],
      },
    });
    return;
  }
  const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: open.items[0].id } });
  ctx.session.pendingText = {
    text,
    ticketId: ticket.id,
    file: file ?? undefined,
    messageId: message.message_id,
  };
  await ctx.reply(ctx.t("reply.which", { number: ticket.number }), {
    reply_markup: {
      inline_keyboard: [
        [
          {
            text: ctx.t("button.add_to", { number: ticket.number }),
            callback_data: encodeCallback({ a: "into", t: ticket.id }),
          },
          { text: ctx.t("button.new_ticket"), callback_data: encodeCallback({ a: "flow", f: "new" }) },
        ],
      ],
    },
  });
}
