import { Composer } from "telegraf";
import {
  addTicketMessage,
  changeTicketStatus,
  getTicket,
  rateTicket,
  statusAfterRequesterReply,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { decodeCallback } from "../ui/callback-data.js";
import { showCard } from "./cards.js";

/** The buttons on a requester's ticket cards and notifications: reply, close, reopen, rate. */
export const ticketActionsFeature = new Composer<BotContext>();

ticketActionsFeature.on("callback_query", async (ctx, next) => {
  const action = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
  if (!action) return next();
  switch (action.a) {
    case "reply": {
      const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: action.t } });
      ctx.session.replyTo = ticket.id;
      ctx.session.newTicket = undefined;
      await ctx.answerCbQuery();
      await ctx.reply(ctx.t("reply.prompt", { number: ticket.number }));
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
      await ctx.editMessageReplyMarkup(undefined);
      return;
    }
    case "into": {
      const pending = ctx.session.pendingText;
      ctx.session.pendingText = undefined;
      await ctx.answerCbQuery();
      const question = ctx.callbackQuery.message;
      if (!pending || pending.ticketId !== action.t || !question) return;
      // Stored as the person sent it: its words, its file, and its own message as the
      // origin (so a later edit of it edits the thread too).
      const { ticket } = await addTicketMessage({
        ctx: ctx.svc,
        input: {
          ticketId: pending.ticketId,
          body: pending.text,
          source: "bot",
          attachments: pending.file ? [pending.file] : [],
          origin: { chatId: question.chat.id, messageId: pending.messageId ?? question.message_id },
        },
      });
      await ctx.editMessageText(ctx.t("reply.added", { number: ticket.number }));
      return;
    }
    default:
      return next();
  }
});
