import { Composer } from "telegraf";
import { editTicketMessage, markBotBlocked } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { textOf } from "../media.js";

/** Blocking and unblocking the bot, and edits of messages already in a thread. */
export const membershipFeature = new Composer<BotContext>();

membershipFeature.on("my_chat_member", async (ctx) => {
  const update = ctx.myChatMember;
  if (update.chat.type !== "private") return;
  const status = update.new_chat_member.status;
  // "kicked" in a private chat means the user blocked the bot; "member" that they came back.
  await markBotBlocked({
    ctx: ctx.svc,
    input: { telegramId: update.from.id, blocked: status === "kicked" },
  });
});

membershipFeature.on("edited_message", async (ctx) => {
  const edited = ctx.editedMessage;
  const body = textOf(edited);
  if (!body) return;
  await editTicketMessage({
    ctx: ctx.svc,
    input: { origin: { chatId: edited.chat.id, messageId: edited.message_id }, body },
  }).catch((err) => {
    // Most edits are of messages that never went into a ticket: nothing to do.
    if (err?.code !== "NOT_FOUND") throw err;
  });
});
