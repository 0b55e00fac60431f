import type { Middleware } from "telegraf";
import { claimBanNotice, claimFloodWarning, takeFloodToken } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";

/**
 * Abuse control, right after the update's state is loaded (it needs the sender)
 * and before any handler (so nothing of a refused update is stored, not even a
 * session change):
 *
 * - banned: the first update after the ban is answered with one translated
 *   notice (in private; claimed in the database, so two instances tell once);
 *   every update of theirs is otherwise ignored.
 * - flood: each message a requester sends the bot in private takes a token from
 *   their bucket in PostgreSQL (`flood_messages_per_minute`, shared by every
 *   instance). The first message over the limit gets one translated warning
 *   (at most one in ten minutes per person: a flood, a pause, a flood is warned
 *   once); it and the ones after it are dropped until the bucket refills.
 * - shadow-banned: a message they write is answered as if it was added (the
 *   usual "added to T-…" when the reply thread is known), but not stored and so
 *   never relayed to staff. Commands and buttons work as usual (they read).
 *
 * Staff are never limited or banned here (moderateUser bans requesters only).
 */
export function abuseControl(): Middleware<BotContext> {
  return async (ctx, next) => {
    const user = ctx.user;
    if (user?.role !== "requester") return next();
    if (user.moderation === "banned") {
      if (ctx.chat?.type === "private" && (await claimBanNotice(ctx.svc.db, user.id, ctx.svc.clock.now())))
        await ctx.reply(ctx.t("abuse.banned_notice"));
      return;
    }
    const message = ctx.message ?? ctx.editedMessage;
    if (!message || ctx.chat?.type !== "private") return next();
    // Taken with the update's state in one statement; else (a sender new to the database,
    // an update taken over from another instance) in a round trip of its own.
    const refused = ctx.floodRefused ?? (await takeFloodToken(ctx.svc.db, user.telegramId)).refused;
    if (refused > 0) {
      if (refused === 1 && (await claimFloodWarning(ctx.svc.db, user.telegramId)))
        await ctx.reply(ctx.t("abuse.flood_warning"));
      return;
    }
    if (user.moderation === "shadow" && ctx.message && !isCommand(ctx.message)) {
      const number = ctx.replyFacts?.ticket.number;
      await ctx.reply(number ? ctx.t("notify:received", { number }) : ctx.t("abuse.shadow_received"));
      return;
    }
    return next();
  };
}

function isCommand(message: object): boolean {
  return "text" in message && typeof message.text === "string" && message.text.startsWith("/");
}
