import { Composer } from "telegraf";
import { getTicketByNumber, getTicketSummary, listTickets } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { decodeCallback, encodeCallback } from "../ui/callback-data.js";
import { STATUS_EMOJI, ticketCard } from "../ui/card.js";
import { escapeHtml } from "../ui/text.js";
import { answerCallbackLast, replyLast } from "../webhook-answer.js";

const PAGE = 5;

/** Sends (or, from a button, edits into) a ticket's card. */
export async function showCard(ctx: BotContext, ticketId: string, edit = false): Promise<void> {
  const { ticket, category, recent } = await getTicketSummary({
    ctx: ctx.svc,
    input: { ticketId, recent: 3 },
  });
  const card = ticketCard(ticket, category, recent, {
    t: ctx.t,
    lang: ctx.lang,
    timeZone: ctx.svc.settings.timeZone,
    viewerId: ctx.user.id,
  });
  const extra = { parse_mode: "HTML" as const, reply_markup: { inline_keyboard: card.buttons } };
  if (edit && ctx.callbackQuery) await ctx.editMessageText(card.text, extra);
  else await ctx.reply(card.text, extra);
}

async function showMyTickets(ctx: BotContext, page: number, edit: boolean) {
  // Keyset pages are forward-only; /my pages are small, so walk to the asked page.
  let cursor: string | undefined;
  let items: Awaited<ReturnType<typeof listTickets>>["items"] = [];
  let hasNext = false;
  for (let p = 0; p <= page; p++) {
    const result = await listTickets({
      ctx: ctx.svc,
      input: { requesterId: ctx.user.id, sort: "created_desc", limit: PAGE, cursor },
    });
    items = result.items;
    hasNext = result.nextCursor !== null;
    cursor = result.nextCursor ?? undefined;
    if (!cursor && p < page) break;
  }
  if (items.length === 0 && page === 0) {
    await ctx.reply(ctx.t("my.empty"));
    return;
  }
  const rows = items.map((tk) => [
    {
      text: `${STATUS_EMOJI[tk.status]} ${tk.number} · ${tk.title.slice(0, 40)}`,
      callback_data: encodeCallback({ a: "card", t: tk.id }),
    },
  ]);
  const nav = [];
  if (page > 0)
    nav.push({ text: ctx.t("button.prev"), callback_data: encodeCallback({ a: "my", p: page - 1 }) });
  if (hasNext)
    nav.push({ text: ctx.t("button.next"), callback_data: encodeCallback({ a: "my", p: page + 1 }) });
  if (nav.length) rows.push(nav);
  const text = escapeHtml(ctx.t("my.title", { page: page + 1 }));
  if (edit && ctx.callbackQuery) await ctx.editMessageText(text, { reply_markup: { inline_keyboard: rows } });
  else await replyLast(ctx, text, { reply_markup: { inline_keyboard: rows } });
}

/** /my, /track and the buttons that open cards or turn pages. */
export const cardsFeature = new Composer<BotContext>();

cardsFeature.command("my", (ctx) => showMyTickets(ctx, 0, false));

cardsFeature.command("track", async (ctx) => {
  const number = ctx.payload.trim();
  if (!number) {
    await ctx.reply(ctx.t("track.usage"));
    return;
  }
  const ticket = await getTicketByNumber({ ctx: ctx.svc, input: { number } });
  await showCard(ctx, ticket.id);
});

cardsFeature.on("callback_query", async (ctx, next) => {
  const action = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
  if (action?.a === "my") {
    await showMyTickets(ctx, action.p, true);
    await answerCallbackLast(ctx);
    return;
  }
  if (action?.a === "card") {
    await showCard(ctx, action.t);
    await answerCallbackLast(ctx);
    return;
  }
  return next();
});
