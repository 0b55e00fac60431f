import { Composer } from "telegraf";
import type { Message } from "telegraf/types";
import {
  DomainError,
  getTicket,
  isWorker,
  listCannedReplies,
  sendCannedReply,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { decodeCallback } from "../ui/callback-data.js";
import { CANNED_PAGE_SIZE, cannedListKeyboard } from "../ui/keyboards.js";
import { escapeHtml } from "../ui/text.js";
import { ticketOf } from "./staff-chat.js";

const CANNED_COMMAND = /^\/canned(?:@\w+)?(?:\s+([\s\S]+))?$/;

/** The search words of a /canned command ("" for none). */
export const cannedQuery = (text: string | undefined) =>
  CANNED_COMMAND.exec(text?.trim() ?? "")?.[1]?.trim() ?? "";

/** One page of the replies the staff member may use on this ticket, and whether more follow. */
async function cannedPage(ctx: BotContext, ticketId: string, q: string, page: number) {
  const rows = await listCannedReplies({
    ctx: ctx.svc,
    input: { ticketId, q: q || undefined, limit: CANNED_PAGE_SIZE + 1, offset: page * CANNED_PAGE_SIZE },
  });
  return { replies: rows.slice(0, CANNED_PAGE_SIZE), hasMore: rows.length > CANNED_PAGE_SIZE };
}

/**
 * /canned in a staff chat, in a ticket's forum topic or in reply to its post
 * ("/canned word" searches): a list of the canned replies the staff member may
 * use, one button each. Pressing one sends it on the ticket as whoever pressed
 * (the domain's sendCannedReply, the Mini App's verb) and turns the list into a
 * "sent" line. Registered before the staff chat feature, which would otherwise
 * send "/canned" itself to the requester.
 */
export const cannedFeature = new Composer<BotContext>();

cannedFeature.on("message", async (ctx, next) => {
  const message = ctx.message as Message;
  const text = "text" in message ? message.text : undefined;
  if (ctx.chat.type === "private" || !text || !CANNED_COMMAND.test(text.trim())) return next();
  const thread =
    "message_thread_id" in message && message.message_thread_id
      ? { message_thread_id: message.message_thread_id }
      : {};
  const answer = (body: string, keyboard?: ReturnType<typeof cannedListKeyboard>) =>
    ctx.reply(body, {
      parse_mode: "HTML",
      reply_parameters: { message_id: message.message_id },
      ...thread,
      ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
    });
  const ticketId = await ticketOf(ctx, message);
  if (!ticketId) return answer(escapeHtml(ctx.t("staff.unknown_ticket")));
  if (!isWorker(ctx.svc.actor)) return answer(escapeHtml(ctx.t("staff.only")));
  const q = cannedQuery(text);
  const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId } });
  const { replies, hasMore } = await cannedPage(ctx, ticketId, q, 0);
  if (!replies.length) return answer(escapeHtml(ctx.t(q ? "canned.none_matching" : "canned.none", { q })));
  return answer(
    escapeHtml(ctx.t("canned.list", { number: ticket.number })),
    cannedListKeyboard(ticketId, replies, 0, hasMore),
  );
});

cannedFeature.on("callback_query", async (ctx, next) => {
  const action = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
  if (!action || (action.a !== "cn" && action.a !== "cnp")) return next();
  if (!isWorker(ctx.svc.actor)) throw new DomainError("FORBIDDEN", { action: "canned_reply.send" });
  const answer = (text = "") => ctx.answerCbQuery(text).catch(() => {});
  if (action.a === "cnp") {
    // The search words are the command's own: the list replies to it.
    const list = ctx.callbackQuery.message as Message | undefined;
    const command = list && "reply_to_message" in list ? list.reply_to_message : undefined;
    const q = cannedQuery(command && "text" in command ? command.text : undefined);
    const { replies, hasMore } = await cannedPage(ctx, action.t, q, action.p);
    await answer();
    await ctx
      .editMessageReplyMarkup({ inline_keyboard: cannedListKeyboard(action.t, replies, action.p, hasMore) })
      .catch(() => {});
    return;
  }
  const pressed = ctx.callbackQuery.message;
  // The list stands for the reply in this chat: a second press (anyone's) stores nothing more.
  const origin = pressed ? { chatId: pressed.chat.id, messageId: pressed.message_id } : undefined;
  const { ticket, message } = await sendCannedReply({
    ctx: ctx.svc,
    input: { ticketId: action.t, cannedReplyId: action.r, source: "staff_chat", origin },
  });
  const markup = pressed && "reply_markup" in pressed ? pressed.reply_markup : undefined;
  const data = "data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
  const title = markup?.inline_keyboard
    .flat()
    .find((b) => "callback_data" in b && b.callback_data === data)?.text;
  await answer(ctx.t("canned.sent_short"));
  const line = ctx.t("canned.sent", { title: title ?? "", number: ticket.number, name: ctx.user.firstName });
  // The words as they went, so colleagues read the answer here (the list's chat gets no other copy).
  await ctx
    .editMessageText(`${escapeHtml(line)}\n\n${escapeHtml(message.body)}`, { parse_mode: "HTML" })
    .catch(() => {
      // A deleted list message, or a second press ("not modified"): the reply itself was sent once.
    });
});
