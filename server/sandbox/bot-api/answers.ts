import { createMessageStore } from "./messages.js";
import type { UploadedFile } from "./parse.js";
import { BOT_USER, chatOf, mediaOf, type Params } from "./results.js";

/** Some of the emoji Telegram offers as topic icons (with its variation selectors). */
const TOPIC_ICON_EMOJI = ["📰", "💡", "⚡️", "🔥", "❗️", "📝", "📁", "❓", "✅", "✔️", "🔎", "📣"];
/** The custom emoji id the fake gives a topic icon: stable, so tests can name it. */
export const topicIconId = (emoji: string) =>
  `5${[...emoji.replace(/\uFE0F/g, "")].map((c) => c.codePointAt(0)).join("")}`;

/**
 * What the fake Bot API answers each method with, shaped like Telegram's results,
 * and the state those answers keep: message ids per chat, chats and members a test
 * set up, registered commands, the webhook, the updates waiting for getUpdates.
 * `strictMessages`: edits of ids the fake never handed out fail as on Telegram.
 */
export function createAnswers(strictMessages = false) {
  const store = createMessageStore(strictMessages);
  const chats = new Map<number, Record<string, unknown>>();
  const members = new Map<string, Record<string, unknown>>();
  const commands = new Map<string, unknown>();
  const updates: Array<{ update_id: number } & Record<string, unknown>> = [];
  let webhook = { url: "", has_custom_certificate: false, pending_update_count: 0, secret: "" };
  let nextTopicId = 1000;
  let botInfo: Record<string, unknown> = {};

  const newMessageId = (chatId: number) => store.add(chatId, { fromBot: true });
  const hasMarkup = (p: Params) => p.reply_markup && typeof p.reply_markup === "object";
  const message = (p: Params, extra: Record<string, unknown> = {}, id?: number) => {
    const chatId = Number(p.chat_id);
    const threadId = p.message_thread_id ? Number(p.message_thread_id) : undefined;
    return {
      message_id:
        id ??
        store.add(chatId, {
          fromBot: true,
          text: p.text,
          caption: p.caption,
          replyMarkup: hasMarkup(p) ? p.reply_markup : undefined,
        }),
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(chatId, chats.get(chatId)),
      from: BOT_USER,
      ...(threadId ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.caption !== undefined ? { caption: p.caption } : {}),
      ...(hasMarkup(p) ? { reply_markup: p.reply_markup } : {}),
      ...extra,
    };
  };

  function result(method: string, p: Params, files: UploadedFile[]): unknown {
    const chatId = Number(p.chat_id);
    switch (method) {
      case "getMe":
        return { ...BOT_USER, ...botInfo };
      case "sendMessage":
      case "sendPhoto":
      case "sendDocument":
      case "sendVideo":
      case "sendVoice":
      case "sendAudio":
      case "sendVideoNote":
      case "sendAnimation":
      case "sendSticker":
        return message(p, mediaOf(method, p, files));
      case "sendLocation":
        return message(p, { location: { latitude: Number(p.latitude), longitude: Number(p.longitude) } });
      case "sendVenue":
        return message(p, {
          location: { latitude: Number(p.latitude), longitude: Number(p.longitude) },
          venue: { title: p.title, address: p.address },
        });
      case "sendContact":
        return message(p, { contact: { phone_number: p.phone_number, first_name: p.first_name } });
      case "sendMediaGroup": {
        const group = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
        // Each item comes back as the message of its type, with the file id Telegram gave it.
        return (p.media as Params[]).map((m) => {
          const method = `send${String(m.type)[0].toUpperCase()}${String(m.type).slice(1)}`;
          const media = mediaOf(method, { [String(m.type)]: m.media }, files);
          return message({ ...p, caption: m.caption }, { media_group_id: group, ...media });
        });
      }
      case "copyMessage":
      case "forwardMessage":
        return method === "copyMessage" ? { message_id: newMessageId(chatId) } : message(p);
      case "copyMessages":
        return (p.message_ids as number[]).map(() => ({ message_id: newMessageId(chatId) }));
      case "editMessageText":
      case "editMessageCaption":
      case "editMessageReplyMarkup": {
        if (p.inline_message_id) return true;
        const edited = store.edit(method, p);
        const now = edited
          ? { ...p, text: edited.text, caption: edited.caption, reply_markup: edited.replyMarkup }
          : p;
        return { ...message(now, {}, Number(p.message_id)), edit_date: Math.floor(Date.now() / 1000) };
      }
      case "getForumTopicIconStickers":
        return TOPIC_ICON_EMOJI.map((emoji, i) => ({
          file_id: `CAACTopicIcon${i}`,
          file_unique_id: `TopicIcon${i}`,
          type: "custom_emoji",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji,
          custom_emoji_id: topicIconId(emoji),
        }));
      case "createForumTopic":
        return { message_thread_id: nextTopicId++, name: p.name, icon_color: p.icon_color ?? 7322096 };
      case "getFile":
        return {
          file_id: p.file_id,
          file_unique_id: `U${p.file_id}`,
          file_size: 1000,
          file_path: `files/${p.file_id}`,
        };
      case "getChat":
        return { ...chatOf(chatId, chats.get(chatId)), accent_color_id: 0, max_reaction_count: 11 };
      case "getChatMember":
        return (
          members.get(`${chatId}:${p.user_id}`) ?? {
            status: "member",
            user: { id: Number(p.user_id), is_bot: false, first_name: "U" },
          }
        );
      case "setMyCommands":
        commands.set(
          `${JSON.stringify(p.scope ?? { type: "default" })}:${p.language_code ?? ""}`,
          p.commands,
        );
        return true;
      case "getMyCommands":
        return (
          commands.get(`${JSON.stringify(p.scope ?? { type: "default" })}:${p.language_code ?? ""}`) ?? []
        );
      case "setWebhook":
        webhook = { ...webhook, url: String(p.url), secret: String(p.secret_token ?? "") };
        return true;
      case "deleteWebhook":
        webhook = { ...webhook, url: "" };
        return true;
      case "getWebhookInfo": {
        const { secret: _secret, ...info } = webhook;
        return info;
      }
      case "getUpdates":
        return updates.filter((u) => u.update_id >= Number(p.offset ?? 0)).slice(0, Number(p.limit ?? 100));
      case "answerCallbackQuery":
      case "setChatMenuButton":
      case "deleteMyCommands":
      case "editForumTopic":
      case "closeForumTopic":
      case "reopenForumTopic":
      case "deleteForumTopic":
      case "deleteMessage":
      case "sendChatAction":
      case "setMessageReaction":
        return true;
      case "getChatMenuButton":
        return { type: "default" };
      default:
        return undefined;
    }
  }

  return {
    result,
    messages: store,
    chats,
    members,
    updates,
    webhookInfo: () => webhook,
    /** Changes what getMe answers (e.g. privacy mode on: can_read_all_group_messages false). */
    setBotInfo: (info: Record<string, unknown>) => {
      botInfo = info;
    },
  };
}
