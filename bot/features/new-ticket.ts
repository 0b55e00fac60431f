import { Composer } from "telegraf";
import { listCategories } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { SCENES } from "../scenes/ids.js";
import { newDraft } from "../scenes/new-ticket-draft.js";
import { buttonOf } from "../ui/callback-data.js";

/** Starts /new (scenes/new-ticket.ts), optionally in a category chosen by a deep link (`new_<code>`). */
export async function startNewTicket(ctx: BotContext, categoryCode?: string): Promise<void> {
  const category = categoryCode
    ? (await listCategories({ ctx: ctx.svc })).find((c) => c.code === categoryCode)
    : undefined;
  await ctx.scene.enter(SCENES.newTicket, newDraft(ctx.user.id, category?.id));
}

/** /new, and the "open a new ticket" button of the questions about loose messages. */
export const newTicketFeature = new Composer<BotContext>();

newTicketFeature.command("new", (ctx) => startNewTicket(ctx));

newTicketFeature.on("callback_query", async (ctx, next) => {
  const action = buttonOf(ctx);
  if (action?.a !== "flow" || action.f !== "new") return next();
  await ctx.answerCbQuery();
  await startNewTicket(ctx);
});
