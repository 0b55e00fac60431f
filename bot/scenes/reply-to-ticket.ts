import { Scenes } from "telegraf";
import type { Message } from "telegraf/types";
import { z } from "zod";
import type { BotContext } from "../context.js";
import { addPrivateMessage } from "../thread-input.js";
import { SCENES } from "./ids.js";
import { isCommand } from "./wizard-step.js";

/**
 * The reply conversation's state. `replyTo` is read by name from the stored
 * session too (REPLY_TICKET_PATH in session.ts): the update's state brings that
 * ticket's facts with each plain message, so a reply costs no read of its own.
 */
export const replyToTicketStateSchema = z.object({
  replyTo: z.uuid(),
  /** For the prompt on entering (sessions from before scenes have none). */
  number: z.string().optional(),
});
export type ReplyToTicketState = z.infer<typeof replyToTicketStateSchema>;

/**
 * After Reply on a ticket's card: every plain message in the private chat goes
 * into that ticket's thread (a Telegram reply to another ticket's message goes
 * to that one), until the person cancels or starts something else.
 */
export const replyToTicketScene = new Scenes.BaseScene<BotContext>(SCENES.replyToTicket);

replyToTicketScene.enter(async (ctx) => {
  const { number } = ctx.scene.state as ReplyToTicketState;
  await ctx.reply(ctx.t("reply.prompt", { number }));
});

replyToTicketScene.on("message", async (ctx, next) => {
  const message = ctx.message as Message;
  if (ctx.chat.type !== "private" || isCommand(message)) return next();
  await addPrivateMessage(ctx, message, (ctx.scene.state as ReplyToTicketState).replyTo);
});
