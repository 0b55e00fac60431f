import { Composer } from "telegraf";
import type { Message } from "telegraf/types";
import {
  assignTicket,
  changeTicketStatus,
  findTicketOfTopic,
  findUserByUsername,
  isDomainError,
  isWorker,
  TICKET_STATUSES,
  type TicketStatus,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { isStorable, textOf } from "../media.js";
import { addToThread } from "../thread-input.js";
import { ticketOfTelegramMessage } from "../ticket-lookup.js";

const NOTE_COMMAND = /^\/note(@\w+)?\s*/;

/** In a staff chat, "/note …" or "!…" is an internal note: whether it is one, and its words. */
export function staffNote(text: string): { isNote: boolean; body: string } {
  const isNote = NOTE_COMMAND.test(text) || text.startsWith("!");
  return { isNote, body: isNote ? text.replace(NOTE_COMMAND, "").replace(/^!\s*/, "") : text };
}
const TOPIC_COMMAND = /^\/(close|status|assign)(@\w+)?(?:\s+(\S+))?/;

/** Which ticket a group message is about: its forum topic, or the post it replies to. */
export async function ticketOf(ctx: BotContext, message: Message): Promise<string | null> {
  if ("message_thread_id" in message && message.message_thread_id && message.is_topic_message) {
    const byTopic = await findTicketOfTopic(ctx.svc.db, message.chat.id, message.message_thread_id);
    if (byTopic) return byTopic;
  }
  const repliedTo = "reply_to_message" in message ? message.reply_to_message : undefined;
  return repliedTo ? ticketOfTelegramMessage(ctx.svc.db, message.chat.id, repliedTo.message_id) : null;
}

/**
 * Staff group chats. In a ticket's forum topic, or in reply to its post: a
 * message goes to the requester as the ticket's answer; "/note …" or a message
 * starting with "!" is an internal note that never reaches the requester; in a
 * topic, /close, /status <status> and /assign (take it; "/assign @name" hands it
 * to a colleague) work too. Only staff of
 * the ticket's scope may act; anything else in the group is left alone.
 */
export const staffChatFeature = new Composer<BotContext>();

staffChatFeature.on("message", async (ctx, next) => {
  if (ctx.chat.type === "private") return next();
  const message = ctx.message as Message;
  // Service messages (a pin, a topic closed by hand, people joining) and stickers are
  // group life, not ticket content: left alone, without an answer.
  if (!isStorable(message)) return;
  const ticketId = await ticketOf(ctx, message);
  const text = textOf(message) ?? "";
  const answer = (key: string, vars: Record<string, unknown> = {}) =>
    ctx.reply(ctx.t(key, vars), {
      reply_parameters: { message_id: message.message_id },
      ...("message_thread_id" in message && message.message_thread_id
        ? { message_thread_id: message.message_thread_id }
        : {}),
    });
  if (!ticketId) {
    if (NOTE_COMMAND.test(text) || TOPIC_COMMAND.test(text)) await answer("staff.unknown_ticket");
    return;
  }
  if (!isWorker(ctx.svc.actor)) {
    await answer("staff.only");
    return;
  }
  const command = TOPIC_COMMAND.exec(text);
  if (command) {
    const [, name, , arg] = command;
    if (name === "assign") {
      // "/assign" takes it; "/assign @someone" hands it to a colleague (moderators and admins).
      // The domain decides whether that person may have it (active staff covering its branch).
      const assignee = arg ? await findUserByUsername(ctx.svc.db, arg) : ctx.user;
      if (!assignee) {
        await answer("staff.assign_usage", { who: arg });
        return;
      }
      const ticket = await assignTicket({ ctx: ctx.svc, input: { ticketId, assigneeId: assignee.id } }).catch(
        (err) => {
          // Someone who cannot work this ticket: say so in the command's own words.
          if (isDomainError(err) && err.code === "VALIDATION") return null;
          throw err;
        },
      );
      if (!ticket) {
        await answer("staff.assign_usage", { who: arg });
        return;
      }
      await answer(assignee.id === ctx.user.id ? "staff.taken" : "staff.assigned", {
        name: assignee.firstName,
        number: ticket.number,
      });
      return;
    }
    const status = (name === "close" ? "closed" : arg) as TicketStatus;
    if (!TICKET_STATUSES.includes(status)) {
      await answer("staff.status_usage", { statuses: TICKET_STATUSES.join(", ") });
      return;
    }
    const ticket = await changeTicketStatus({ ctx: ctx.svc, input: { ticketId, status } });
    await answer("staff.status_set", { number: ticket.number, status: ctx.t(`common:status.${status}`) });
    return;
  }
  const note = staffNote(text);
  const isNote = note.isNote;
  const body = isNote ? note.body : undefined;
  const { ticket, message: stored } = await addToThread(ctx, ticketId, message, {
    source: "staff_chat",
    internal: isNote,
    body,
  });
  // Later parts of an album join its first message: one answer per album.
  if (stored.tgMessageId === message.message_id)
    await answer(isNote ? "staff.note_saved" : "staff.reply_sent", { number: ticket.number });
});
