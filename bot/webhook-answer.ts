import type { Update } from "telegraf/types";
import { dropNull } from "./bot-api-client.js";
import type { BotContext } from "./context.js";

/**
 * The Bot API lets the answer to a webhook request carry one method call
 * ("Making requests when getting updates"): Telegram executes it after the
 * answer, and the bot never learns its result. An update's last call, when
 * nothing needs that result (the "added to T-…" confirmation, the /my list, a
 * callback query's answer), goes that way: it saves an HTTP request per update,
 * about a tenth of the bot's CPU. A failure of such a call goes unseen, as an
 * apology after a failed confirmation would fail too; a blocked user is
 * flagged by their my_chat_member update all the same. Long polling, and every
 * other call, use the Bot API as usual.
 */
export interface WebhookAnswer {
  method: string;
  payload: Record<string, unknown>;
}

type Slot = { answer?: WebhookAnswer; closed: boolean };
const slots = new WeakMap<Update, Slot>();

/**
 * The webhook door opens a slot per update before the handlers run and closes it
 * when it answers (create-bot.ts). A handler still running after that (Telegraf
 * stopped waiting at its timeout) makes its calls itself: nobody would send them.
 */
export function openWebhookAnswer(update: Update): Slot {
  const slot: Slot = { closed: false };
  slots.set(update, slot);
  return slot;
}

/** No call goes into the answer from now on; the call put there, if any. */
export function closeWebhookAnswer(slot: Slot): WebhookAnswer | undefined {
  slot.closed = true;
  return slot.answer;
}

/** The response body of a slot's call (Telegraf drops null fields from payloads; so does this). */
export function webhookAnswerBody(answer: WebhookAnswer): string {
  return JSON.stringify({ method: answer.method, ...answer.payload }, dropNull);
}

/**
 * Makes a call the handler makes last and whose result it does not need: in the
 * webhook's answer when the update came by webhook and the slot is free, else now.
 */
async function callLast(ctx: BotContext, method: string, payload: Record<string, unknown>): Promise<void> {
  const slot = slots.get(ctx.update);
  if (slot && !slot.closed && !slot.answer) {
    slot.answer = { method, payload };
    return;
  }
  await ctx.telegram.callApi(method as never, payload as never);
}

/** ctx.reply as a handler's last call (the chat's own thread, as Telegraf's reply does). */
export function replyLast(ctx: BotContext, text: string, extra: Record<string, unknown> = {}): Promise<void> {
  const chat = ctx.chat;
  if (!chat) throw new Error("replyLast needs a chat");
  const msg = ctx.msg as { is_topic_message?: boolean; message_thread_id?: number } | undefined;
  const thread = msg?.is_topic_message ? msg.message_thread_id : undefined;
  return callLast(ctx, "sendMessage", { chat_id: chat.id, message_thread_id: thread, text, ...extra });
}

/** ctx.answerCbQuery as a handler's last call. */
export function answerCallbackLast(ctx: BotContext, text?: string): Promise<void> {
  const query = ctx.callbackQuery;
  if (!query) throw new Error("answerCallbackLast needs a callback query");
  return callLast(ctx, "answerCallbackQuery", { callback_query_id: query.id, text });
}
