import type { i18n } from "i18next";
import type { Telegram } from "telegraf";
import type { Db } from "../../drizzle/client.js";
import type { Attachment, Language, Notification } from "../../drizzle/schema/index.js";
import { type Deliverer, DeliveryError } from "../../server/delivery/port.js";
import { loadFacts } from "./facts.js";
import { renderNotification } from "./render.js";
import { callTelegram } from "./telegram-call.js";

export interface TelegramDelivererDeps {
  db: Db;
  i18n: i18n;
  telegram: Telegram;
  /** Language of staff group chats. */
  staffLanguage: Language;
  publicUrl?: string;
  /** Bot API call timeout (default 15 s). */
  timeoutMs?: number;
}

const MEDIA_METHOD: Record<string, [string, string]> = {
  photo: ["sendPhoto", "photo"],
  video: ["sendVideo", "video"],
  voice: ["sendVoice", "voice"],
  audio: ["sendAudio", "audio"],
  document: ["sendDocument", "document"],
};

/**
 * Delivers one outbox row through the Bot API: the rendered text with its
 * buttons, then the message's files by their Telegram file_id. Returns the text
 * message's id so replies to it can be mapped back to the ticket.
 */
export function createTelegramDeliverer(deps: TelegramDelivererDeps): Deliverer {
  return async (n: Notification) => {
    const facts = await loadFacts(deps.db, n);
    if (!facts) throw new DeliveryError("bad_request", "ticket no longer exists");
    const lang = facts.recipient?.language ?? deps.staffLanguage;
    const t = deps.i18n.getFixedT(lang);
    const rendered = renderNotification(n, facts, t, lang, deps.publicUrl);
    const sent = await callTelegram<{ message_id: number }>(
      deps.telegram,
      "sendMessage",
      {
        chat_id: n.chatId,
        text: rendered.text,
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(rendered.buttons.length > 0 ? { reply_markup: { inline_keyboard: rendered.buttons } } : {}),
      },
      deps.timeoutMs,
    );
    for (const file of facts.files) await sendFile(deps, n.chatId, file, sent.message_id);
    return { sentMessageId: sent.message_id };
  };
}

async function sendFile(
  deps: TelegramDelivererDeps,
  chatId: number,
  file: Attachment,
  replyTo: number,
): Promise<void> {
  if (!file.tgFileId) return;
  const [method, field] = MEDIA_METHOD[file.kind] ?? MEDIA_METHOD.document;
  const payload = {
    chat_id: chatId,
    [field]: file.tgFileId,
    reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
  };
  await callTelegram(deps.telegram, method, payload, deps.timeoutMs);
}
