import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { decodeCallback } from "../../bot/ui/callback-data.js";
import { messages, users } from "../../drizzle/schema/index.js";
import { createCannedReply } from "../../server/domain/index.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import type { World } from "../helpers/fixtures.js";
import type { BotWorld } from "./bot-harness.js";

type Markup = { inline_keyboard: { text: string; callback_data?: string }[][] };

/** An agent who has talked to the bot, with `count` personal canned replies ("Reply 01", …). */
export async function agentWithReplies(bw: BotWorld, w: World, id: number, count: number) {
  const agentTg = tgUser(id, "en", "Ali");
  await bw.send(updates.text(agentTg, "/help"));
  await w.db.update(users).set({ role: "agent" }).where(eq(users.telegramId, agentTg.id));
  const [agent] = await w.db.select().from(users).where(eq(users.telegramId, agentTg.id));
  for (let i = 1; i <= count; i++) {
    await createCannedReply({
      ctx: w.ctx(agent),
      input: {
        title: `Reply ${String(i).padStart(2, "0")}`,
        bodies: { en: `Hello {requester.first_name}, answer ${i} on {ticket.number} — {agent.first_name}` },
        files:
          i === 1
            ? [
                {
                  kind: "photo",
                  fileName: "a.jpg",
                  mimeType: "image/jpeg",
                  sizeBytes: 9,
                  tgFileId: "AgACcanned",
                },
              ]
            : [],
      },
    });
  }
  return { agentTg, agent };
}

/** The list the bot answered /canned with in `chatId`: its message id, buttons and the command it replies to. */
export function lastList(bw: BotWorld, chatId: number) {
  const call = bw.fake.sends(chatId).at(-1);
  const markup = call?.params.reply_markup as Markup | undefined;
  const result = call?.result as { message_id: number };
  return {
    call,
    messageId: result.message_id,
    markup: markup ?? { inline_keyboard: [] },
    titles: (markup?.inline_keyboard ?? []).flat().map((b) => b.text),
    actions: (markup?.inline_keyboard ?? []).flat().map((b) => decodeCallback(b.callback_data)),
  };
}

/** Presses a button of a list message as Telegram sends it back: with its keyboard and the command it replies to. */
export function press(
  from: TgUser,
  chatId: number,
  list: { messageId: number; markup: Markup },
  data: string,
  command: { text: string; messageId: number },
) {
  const base = updates.callback(from, data, chatId, list.messageId);
  return {
    ...base,
    callback_query: {
      ...base.callback_query,
      message: {
        ...base.callback_query.message,
        reply_markup: list.markup,
        reply_to_message: {
          message_id: command.messageId,
          date: base.callback_query.message.date,
          chat: base.callback_query.message.chat,
          text: command.text,
        },
      },
    },
  };
}

/** The ticket's stored messages by the agent. */
export async function storedBy(w: World, ticketId: string, authorId: string) {
  const rows = await w.db.select().from(messages).where(eq(messages.ticketId, ticketId));
  return rows.filter((m) => m.authorId === authorId);
}

export const expectSent = (body: string, number: string) =>
  expect(body).toBe(`Hello Sara, answer 1 on ${number} — Ali`);
