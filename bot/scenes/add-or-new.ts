import { Scenes } from "telegraf";
import { z } from "zod";
import { addTicketMessage } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { draftFileSchema } from "../session.js";
import { buttonOf, encodeCallback } from "../ui/callback-data.js";
import { SCENES } from "./ids.js";

/** The loose message, kept until the person says where it goes. */
export const addOrNewStateSchema = z.object({
  text: z.string(),
  ticketId: z.uuid(),
  /** For the question on entering (sessions from before scenes have none). */
  number: z.string().optional(),
  /** The file it carried, and the message itself, so "add" stores it as sent. */
  file: draftFileSchema.optional(),
  messageId: z.number().int().optional(),
});
export type AddOrNewState = z.infer<typeof addOrNewStateSchema>;

/**
 * A message outside any conversation from someone with one open ticket: "add it
 * to T-… or open a new one?". Add stores the waiting message in that ticket;
 * New starts /new (handled where /new is). Another loose message asks again.
 */
export const addOrNewScene = new Scenes.BaseScene<BotContext>(SCENES.addOrNew);

addOrNewScene.enter(async (ctx) => {
  const { ticketId, number } = ctx.scene.state as AddOrNewState;
  await ctx.reply(ctx.t("reply.which", { number }), {
    reply_markup: {
      inline_keyboard: [
        [
          {
            text: ctx.t("button.add_to", { number }),
            callback_data: encodeCallback({ a: "into", t: ticketId }),
          },
          { text: ctx.t("button.new_ticket"), callback_data: encodeCallback({ a: "flow", f: "new" }) },
        ],
      ],
    },
  });
});

addOrNewScene.on("callback_query", async (ctx, next) => {
  const action = buttonOf(ctx);
  if (action?.a !== "into") return next();
  const waiting = ctx.scene.state as AddOrNewState;
  const question = ctx.callbackQuery.message;
  if (waiting.ticketId !== action.t || !question) {
    await ctx.answerCbQuery(ctx.t("stale_button"));
    return;
  }
  await ctx.answerCbQuery();
  await ctx.scene.leave();
  // Stored as the person sent it: its words, its file, and its own message as the
  // origin (so a later edit of it edits the thread too).
  const { ticket } = await addTicketMessage({
    ctx: ctx.svc,
    input: {
      ticketId: waiting.ticketId,
      body: waiting.text,
      source: "bot",
      attachments: waiting.file ? [waiting.file] : [],
      origin: { chatId: question.chat.id, messageId: waiting.messageId ?? question.message_id },
    },
  });
  await ctx.editMessageText(ctx.t("reply.added", { number: ticket.number }));
});
