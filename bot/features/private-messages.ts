import { Composer } from "telegraf";
import type { Message } from "telegraf/types";
import { getTicket, listTickets } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { fileOf, textOf } from "../media.js";
import type { AddOrNewState } from "../scenes/add-or-new.js";
import { SCENES } from "../scenes/ids.js";
import { addPrivateMessage } from "../thread-input.js";
import { encodeCallback } from "../ui/callback-data.js";

/**
 * What someone writes in the private chat outside commands and conversations
 * (scenes/ answer the messages of theirs): a Telegram reply to one of a ticket's
 * messages goes into that ticket; a loose message, with one open ticket, starts
 * the "add it or open a new one?" question; an unknown command is answered.
 */
export const privateMessagesFeature = new Composer<BotContext>();

privateMessagesFeature.on("message", async (ctx, next) => {
  if (ctx.chat.type !== "private") return next();
  const message = ctx.message as Message;
  if (textOf(message)?.startsWith("/")) {
    await ctx.reply(ctx.t("unknown_command"));
    return;
  }
  if (await addPrivateMessage(ctx, message, undefined)) return;
  await askWhichTicket(ctx, message);
});

async function askWhichTicket(ctx: BotContext, message: Message) {
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
  const waiting: AddOrNewState = {
    text: textOf(message) ?? "",
    ticketId: ticket.id,
    number: ticket.number,
    file: fileOf(message) ?? undefined,
    messageId: message.message_id,
  };
  await ctx.scene.enter(SCENES.addOrNew, waiting);
}
