import { Composer } from "telegraf";
import { setAway } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";

/**
 * /away and /back: a staff member tells auto-assignment to pass them by (their
 * tickets stay theirs), or that they take tickets again. In the private chat or a
 * staff group; anyone else gets the usual FORBIDDEN answer.
 */
export const availabilityFeature = new Composer<BotContext>();

availabilityFeature.command(["away", "back"], async (ctx) => {
  const away = ctx.command === "away";
  ctx.user = await setAway({ ctx: ctx.svc, input: { away } });
  const inGroup = ctx.chat.type !== "private";
  await ctx.reply(ctx.t(away ? "assignment.now_away" : "assignment.now_back"), {
    ...(inGroup ? { reply_parameters: { message_id: ctx.message.message_id } } : {}),
  });
});
