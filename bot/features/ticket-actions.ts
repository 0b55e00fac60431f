import { Composer } from "telegraf";
import {
  changeTicketStatus,
  getTicket,
  rateTicket,
  statusAfterRequesterReply,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { SCENES } from "../scenes/ids.js";
import type { RatingCommentState } from "../scenes/rating-comment.js";
import type { ReplyToTicketState } from "../scenes/reply-to-ticket.js";
import { decodeCallback } from "../ui/callback-data.js";
import { ratingKeyboard } from "../ui/rating.js";
import { showCard } from "./cards.js";

/** The buttons on a requester's ticket cards and notifications: reply, close, reopen, rate. */
export const ticketActionsFeature = new Composer<BotContext>();

ticketActionsFeature.on("callback_query", async (ctx, next) => {
  const action = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
  if (!action) return next();
  switch (action.a) {
    case "reply": {
      const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: action.t } });
      await ctx.answerCbQuery();
      const state: ReplyToTicketState = { replyTo: ticket.id, number: ticket.number };
      await ctx.scene.enter(SCENES.replyToTicket, state);
      return;
    }
    case "close": {
      const ticket = await changeTicketStatus({
        ctx: ctx.svc,
        input: { ticketId: action.t, status: "closed" },
      });
      await ctx.answerCbQuery(ctx.t("closed_ok", { number: ticket.number }));
      await showCard(ctx, ticket.id, true);
      return;
    }
    case "reopen": {
      const current = await getTicket({ ctx: ctx.svc, input: { ticketId: action.t } });
      const to = statusAfterRequesterReply(current.status, false);
      const ticket = await changeTicketStatus({ ctx: ctx.svc, input: { ticketId: action.t, status: to } });
      await ctx.answerCbQuery(ctx.t("reopened_ok", { number: ticket.number }));
      await showCard(ctx, ticket.id, true);
      return;
    }
    case "rate": {
      await rateTicket({ ctx: ctx.svc, input: { ticketId: action.t, rating: action.n } });
      await ctx.answerCbQuery(ctx.t("rated"));
      // The stars stay (another one changes the rating within 24 h), with the chosen one marked.
      await ctx.editMessageReplyMarkup({ inline_keyboard: ratingKeyboard(action.t, ctx.t, action.n) });
      return;
    }
    case "rcom": {
      const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: action.t } });
      await ctx.answerCbQuery();
      const state: RatingCommentState = { ticketId: ticket.id, number: ticket.number };
      await ctx.scene.enter(SCENES.ratingComment, state);
      return;
    }
    default:
      return next();
  }
});
