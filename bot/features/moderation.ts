import { Composer } from "telegraf";
import {
  canAssignOthers,
  DomainError,
  getTicket,
  type Language,
  moderateTicketRequester,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { decodeCallback } from "../ui/callback-data.js";
import { moderationKeyboard, staffCardKeyboard } from "../ui/keyboards.js";

/**
 * The staff card's "Requester…" menu: ban, shadow-ban or unban the ticket's
 * requester (moderateTicketRequester: moderators and admins, in their scope,
 * audited). The menu swaps the card's keyboard and comes back to it after a choice.
 */
export function moderationFeature(deps: { publicUrl?: string; staffLanguage: Language }) {
  const feature = new Composer<BotContext>();
  feature.on("callback_query", async (ctx, next) => {
    const action = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (!action || (action.a !== "modm" && action.a !== "mod")) return next();
    // Agents see the button too (the card is one for the whole group): refused, translated.
    if (!canAssignOthers(ctx.svc.actor)) throw new DomainError("FORBIDDEN", { action: "user.moderate" });
    const inGroup = ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
    const cardT = inGroup ? ctx.i18n.getFixedT(deps.staffLanguage, "bot") : ctx.t;
    const setKeyboard = (inline_keyboard: ReturnType<typeof moderationKeyboard>) =>
      ctx.editMessageReplyMarkup({ inline_keyboard }).catch(() => {
        // "message is not modified" or a deleted card: the choice itself was made.
      });
    if (action.a === "modm") {
      const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: action.t } });
      await ctx.answerCbQuery().catch(() => {});
      await setKeyboard(moderationKeyboard(ticket.id, cardT));
      return;
    }
    const user = await moderateTicketRequester({
      ctx: ctx.svc,
      input: { ticketId: action.t, state: action.s },
    });
    const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: action.t } });
    const name = user.username ? `@${user.username}` : user.firstName;
    await ctx.answerCbQuery(ctx.t(`abuse.done_${action.s}`, { name }), { show_alert: false }).catch(() => {});
    await setKeyboard(staffCardKeyboard(ticket, cardT, deps.publicUrl));
  });
  return feature;
}
