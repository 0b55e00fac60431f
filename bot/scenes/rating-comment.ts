import { Scenes } from "telegraf";
import type { Message } from "telegraf/types";
import { z } from "zod";
import { rateTicket } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { SCENES } from "./ids.js";
import { isCommand } from "./wizard-step.js";

export const ratingCommentStateSchema = z.object({ ticketId: z.uuid(), number: z.string() });
export type RatingCommentState = z.infer<typeof ratingCommentStateSchema>;

/**
 * After "Add a comment" under a rating: the requester's next text message becomes
 * the comment of that ticket's current rating (changeable for 24 hours, like the
 * rating). A refusal (the 24 hours passed) is answered by the error middleware.
 */
export const ratingCommentScene = new Scenes.BaseScene<BotContext>(SCENES.ratingComment);

ratingCommentScene.enter(async (ctx) => {
  const { number } = ctx.scene.state as RatingCommentState;
  await ctx.reply(ctx.t("rate_comment_prompt", { number }));
});

ratingCommentScene.on("message", async (ctx, next) => {
  const message = ctx.message as Message;
  if (ctx.chat.type !== "private" || isCommand(message)) return next();
  const text = "text" in message ? message.text.trim() : "";
  if (!text) return ctx.reply(ctx.t("rate_comment_prompt", ctx.scene.state as RatingCommentState));
  const { ticketId } = ctx.scene.state as RatingCommentState;
  await ctx.scene.leave();
  await rateTicket({ ctx: ctx.svc, input: { ticketId, comment: text.slice(0, 1000) } });
  await ctx.reply(ctx.t("rate_comment_saved"));
});
