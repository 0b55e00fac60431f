import { Composer } from "telegraf";
import type { Message } from "telegraf/types";
import { isWorker } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { textOf } from "../media.js";
import { addToThread } from "../thread-input.js";
import { ticketOfTelegramMessage } from "../ticket-lookup.js";

const NOTE_COMMAND = /^\/note(@\w+)?\s*/;

/**
 * Staff group chats: a reply to a ticket's post goes to the requester as the
 * ticket's answer; "/note …" or a message starting with "!" is an internal note
 * that never reaches the requester. Anything else in the group is left alone.
 */
export const staffChatFeature = new Composer<BotContext>();

staffChatFeature.on("message", async (ctx, next) => {
  if (ctx.chat.type === "private") return next();
  const message = ctx.message as Message;
  const repliedTo = "reply_to_message" in message ? message.reply_to_message : undefined;
  if (!repliedTo) return;
  const ticketId = await ticketOfTelegramMessage(ctx.svc.db, ctx.chat.id, repliedTo.message_id);
  const text = textOf(message) ?? "";
  const isNote = NOTE_COMMAND.test(text) || text.startsWith("!");
  if (!ticketId) {
    if (NOTE_COMMAND.test(text))
      await ctx.reply(ctx.t("staff.unknown_ticket"), {
        reply_parameters: { message_id: message.message_id },
      });
    return;
  }
  if (!isWorker(ctx.svc.actor)) {
    await ctx.reply(ctx.t("staff.only"), { reply_parameters: { message_id: message.message_id } });
    return;
  }
  const body = isNote ? text.replace(NOTE_COMMAND, "").replace(/^!\s*/, "") : undefined;
  const { ticket } = await addToThread(ctx, ticketId, message, {
    source: "staff_chat",
    internal: isNote,
    body,
  });
  const done = isNote ? "staff.note_saved" : "staff.reply_sent";
  await ctx.reply(ctx.t(done, { number: ticket.number }), {
    reply_parameters: { message_id: message.message_id },
  });
});
