import { Composer } from "telegraf";
import { editTicketMessage, markBotBlocked } from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { textOf } from "../media.js";
import { staffNote } from "./staff-chat.js";

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
  const text = textOf(edited);
  if (!text) return;
  // A note edited in the staff chat keeps its words, not its "/note" or "!" marker.
  const body = edited.chat.type === "private" ? text : staffNote(text).body;
  await editTicketMessage({
    ctx: ctx.svc,
    input: { origin: { chatId: edited.chat.id, messageId: edited.message_id }, body },
  }).catch((err) => {
    // Most edits are of messages that never went into a ticket: nothing to do.
    if (err?.code !== "NOT_FOUND") throw err;
  });
});
