import { Composer } from "telegraf";
import type { Message } from "telegraf/types";
import {
  acceptLive,
  askLive,
  declineLive,
  endLive,
  findThreadMessage,
  getTicket,
  leaveLiveQueue,
  noteLiveActivity,
  openLiveChatsOf,
  setLivePresence,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { refusedKindOf, textOf } from "../media.js";
import { addToThread } from "../thread-input.js";
import { buttonOf, encodeCallback } from "../ui/callback-data.js";

/**
 * Live chat in the bot (docs/LIVE.md): staff set their presence with /online
 * /busy /offline; a requester asks with /live or the "Talk to an operator"
 * button; the offer, queue position and end come as outbox notices
 * (bot/delivery/render-live.ts) whose buttons land here. While a chat is open,
 * what either side writes in the private chat goes into the chat's ticket through
 * the one message path, and the other side sees "typing…" at once.
 */
export const liveFeature = new Composer<BotContext>();

liveFeature.command(["online", "busy", "offline"], async (ctx) => {
  const presence = ctx.command as "online" | "busy" | "offline";
  ctx.user = await setLivePresence({ ctx: ctx.svc, input: { presence } });
  await ctx.reply(ctx.t(`live.presence.${presence}`));
});

/** The "Talk to an operator" button, for the requester's menu (the welcome). */
export const askLiveButton = (ctx: BotContext) => ({
  inline_keyboard: [[{ text: ctx.t("live.button.ask"), callback_data: encodeCallback({ a: "live" }) }]],
});

async function ask(ctx: BotContext) {
  const result = await askLive({ ctx: ctx.svc, input: {} });
  if (result.outcome === "closed_hours") {
    await ctx.reply(ctx.t("live.closed_hours"), {
      reply_markup: {
        inline_keyboard: [
          [{ text: ctx.t("live.button.new_ticket"), callback_data: encodeCallback({ a: "flow", f: "new" }) }],
        ],
      },
    });
    return;
  }
  const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: result.chat.ticketId } });
  const key = result.outcome === "existing" ? "live.already" : "live.asked";
  await ctx.reply(ctx.t(key, { number: ticket.number }));
}

liveFeature.command("live", async (ctx, next) => {
  if (ctx.chat.type !== "private") return next();
  await ask(ctx);
});

liveFeature.on("callback_query", async (ctx, next) => {
  const action = buttonOf(ctx);
  if (action?.a === "live") {
    await ctx.answerCbQuery();
    await ask(ctx);
    return;
  }
  if (action?.a !== "lv") return next();
  const input = { chatId: action.c };
  if (action.k === "acc") {
    const chat = await acceptLive({ ctx: ctx.svc, input });
    const ticket = await getTicket({ ctx: ctx.svc, input: { ticketId: chat.ticketId } });
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup({
      inline_keyboard: [
        [
          {
            text: ctx.t("live.button.end"),
            callback_data: encodeCallback({ a: "lv", k: "end", c: chat.id }),
          },
        ],
      ],
    });
    await ctx.reply(
      ctx.t("live.accepted", { number: ticket.number, name: ticket.requester?.firstName ?? "" }),
    );
    return;
  }
  if (action.k === "dec") await declineLive({ ctx: ctx.svc, input });
  else if (action.k === "leave") await leaveLiveQueue({ ctx: ctx.svc, input });
  else await endLive({ ctx: ctx.svc, input });
  const done = { dec: "live.declined", leave: "live.left", end: "live.ended" } as const;
  await ctx.answerCbQuery(ctx.t(done[action.k]));
  await ctx.editMessageReplyMarkup(undefined);
});

/**
 * A private message of someone in an open live chat: into that chat's ticket. An
 * operator with several chats answers one by replying to its message; a loose
 * message goes to the chat they accepted last. Commands and people without a
 * live chat go on to the other features.
 */
liveFeature.on("message", async (ctx, next) => {
  if (ctx.chat.type !== "private") return next();
  const message = ctx.message as Message;
  if (textOf(message)?.startsWith("/") || refusedKindOf(message)) return next();
  const open = await openLiveChatsOf(ctx.svc.db, ctx.user.id);
  if (open.length === 0) return next();
  const repliedTo = "reply_to_message" in message ? message.reply_to_message : undefined;
  const ref = repliedTo ? await findThreadMessage(ctx.svc.db, message.chat.id, repliedTo.message_id) : null;
  const chat = open.find((c) => c.ticketId === ref?.ticketId) ?? (ref ? null : open[0]);
  // A reply to another ticket's message is about that ticket: the usual path takes it.
  if (!chat) return next();
  if (chat.otherChat && chat.state === "active") {
    // Telegram shows no typing of users to bots: the other side sees it as the message arrives.
    await ctx.telegram.sendChatAction(chat.otherChat, "typing").catch(() => {
      // Only a courtesy.
    });
  }
  await addToThread(ctx, chat.ticketId, message, { source: "bot", acknowledge: false });
  if (!chat.asRequester) await noteLiveActivity({ ctx: ctx.svc });
});
