import type { MiddlewareFn } from "telegraf";
import type { Update } from "telegraf/types";
import type { MetricsPort } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";

/**
 * Counts and times each update by its kind (message, callback_query, …): first in
 * the chain, so the time includes waiting behind the chat's earlier updates, as
 * the person waits. A handler that throws is counted as an error and the error
 * goes on to bot.catch.
 */
export function botMetrics(port: MetricsPort): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const started = performance.now();
    const kind = updateKind(ctx.update);
    try {
      await next();
      port.botUpdate(kind, "ok", (performance.now() - started) / 1000);
    } catch (err) {
      port.botUpdate(kind, "error", (performance.now() - started) / 1000);
      throw err;
    }
  };
}

/** The update's one payload field; unknown kinds are folded so the label set stays small. */
export function updateKind(update: Update): string {
  const key = Object.keys(update).find((k) => k !== "update_id");
  return key && KNOWN.has(key) ? key : "other";
}

const KNOWN = new Set([
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "callback_query",
  "inline_query",
  "chosen_inline_result",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "message_reaction",
  "message_reaction_count",
  "pre_checkout_query",
  "shipping_query",
  "poll",
  "poll_answer",
  "business_message",
]);
