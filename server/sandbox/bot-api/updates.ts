import { MESSAGE_KINDS } from "./message-kinds.js";

/**
 * Real-shaped Telegram Update JSON for scenario tests (Bot API "Update",
 * "Message", "CallbackQuery", "ChatMemberUpdated"), with fresh update ids.
 */
let updateId = 1_000;
let messageId = 50_000;
const now = () => Math.floor(Date.now() / 1000);

export interface TgUser {
  id: number;
  first_name: string;
  username?: string;
  language_code?: string;
}

export const tgUser = (id: number, language_code = "en", first_name = `User${id}`): TgUser => ({
  id,
  first_name,
  username: `user${id}`,
  language_code,
});

const privateChat = (u: TgUser) => ({
  id: u.id,
  type: "private",
  first_name: u.first_name,
  username: u.username,
});
const groupChat = (chatId: number) => ({ id: chatId, type: "supergroup", title: "Staff" });

function baseMessage(from: TgUser, chat: Record<string, unknown>, extra: Record<string, unknown>) {
  return { message_id: messageId++, date: now(), chat, from: { ...from, is_bot: false }, ...extra };
}

function withCommand(text: string) {
  const m = /^\/\S+/.exec(text);
  return m ? { text, entities: [{ type: "bot_command", offset: 0, length: m[0].length }] } : { text };
}

/**
 * The same message sent inside a forum topic of a staff group instead of privately
 * (Telegram marks topic messages as replies to the topic's first message).
 */
export function inTopic<U extends { message: Record<string, unknown> }>(
  update: U,
  chatId: number,
  threadId: number,
): U {
  const chat = { id: chatId, type: "supergroup", title: "Staff", is_forum: true };
  return {
    ...update,
    message: {
      ...update.message,
      chat,
      message_thread_id: threadId,
      is_topic_message: true,
      reply_to_message: {
        message_id: threadId,
        date: now(),
        chat,
        forum_topic_created: { name: "T", icon_color: 7322096 },
      },
    },
  };
}

export const updates = {
  text(from: TgUser, text: string, extra: Record<string, unknown> = {}) {
    return {
      update_id: updateId++,
      message: baseMessage(from, privateChat(from), { ...withCommand(text), ...extra }),
    };
  },
  groupText(from: TgUser, chatId: number, text: string, replyTo?: number) {
    const reply = replyTo
      ? { reply_to_message: { message_id: replyTo, date: now(), chat: groupChat(chatId), text: "…" } }
      : {};
    return {
      update_id: updateId++,
      message: baseMessage(from, groupChat(chatId), { ...withCommand(text), ...reply }),
    };
  },
  topicText(from: TgUser, chatId: number, threadId: number, text: string) {
    return inTopic(updates.text(from, text), chatId, threadId);
  },
  photo(
    from: TgUser,
    opts: { caption?: string; size?: number; mediaGroupId?: string; replyTo?: number } = {},
  ) {
    const id = `AgACPhoto${messageId}`;
    return {
      update_id: updateId++,
      message: baseMessage(from, privateChat(from), {
        photo: [
          { file_id: `${id}s`, file_unique_id: `${id}us`, width: 90, height: 60, file_size: 1000 },
          {
            file_id: id,
            file_unique_id: `${id}u`,
            width: 1280,
            height: 960,
            file_size: opts.size ?? 120_000,
          },
        ],
        ...(opts.caption ? { caption: opts.caption } : {}),
        ...(opts.mediaGroupId ? { media_group_id: opts.mediaGroupId } : {}),
      }),
    };
  },
  document(from: TgUser, opts: { name?: string; size?: number; mime?: string } = {}) {
    return {
      update_id: updateId++,
      message: baseMessage(from, privateChat(from), {
        document: {
          file_id: `BQACDoc${messageId}`,
          file_unique_id: `Doc${messageId}`,
          file_name: opts.name ?? "report.pdf",
          mime_type: opts.mime ?? "application/pdf",
          file_size: opts.size ?? 50_000,
        },
      }),
    };
  },
  sticker(from: TgUser) {
    return {
      update_id: updateId++,
      message: baseMessage(from, privateChat(from), {
        sticker: {
          file_id: "CAACSticker",
          file_unique_id: "Stk",
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
        },
      }),
    };
  },
  /** A message of one of Telegram's other kinds, shaped as the Bot API sends it. */
  kind(from: TgUser, kind: keyof typeof MESSAGE_KINDS) {
    return {
      update_id: updateId++,
      message: baseMessage(from, privateChat(from), MESSAGE_KINDS[kind](messageId)),
    };
  },
  location(from: TgUser) {
    return {
      update_id: updateId++,
      message: baseMessage(from, privateChat(from), { location: { latitude: 35.7, longitude: 51.4 } }),
    };
  },
  /**
   * A video or voice message, privately or inside a forum topic (with threadId),
   * with an optional caption.
   */
  media(
    from: TgUser,
    kind: "video" | "voice",
    opts: { chatId?: number; threadId?: number; caption?: string } = {},
  ) {
    const id = `${kind}${messageId}`;
    const file =
      kind === "video"
        ? {
            file_id: `BAAC${id}`,
            file_unique_id: `u${id}`,
            width: 640,
            height: 360,
            duration: 5,
            mime_type: "video/mp4",
            file_size: 900_000,
          }
        : {
            file_id: `AwAC${id}`,
            file_unique_id: `u${id}`,
            duration: 3,
            mime_type: "audio/ogg",
            file_size: 20_000,
          };
    const topic = opts.chatId
      ? { id: opts.chatId, type: "supergroup", title: "Staff", is_forum: true }
      : privateChat(from);
    const inTopic = opts.threadId
      ? {
          message_thread_id: opts.threadId,
          is_topic_message: true,
          reply_to_message: {
            message_id: opts.threadId,
            date: now(),
            chat: topic,
            forum_topic_created: { name: "T", icon_color: 7322096 },
          },
        }
      : {};
    return {
      update_id: updateId++,
      message: baseMessage(from, topic, {
        [kind]: file,
        ...(opts.caption ? { caption: opts.caption } : {}),
        ...inTopic,
      }),
    };
  },
  poll(from: TgUser) {
    return {
      update_id: updateId++,
      message: baseMessage(from, privateChat(from), {
        poll: {
          id: `poll${messageId}`,
          question: "Lunch?",
          options: [
            { text: "Yes", voter_count: 0 },
            { text: "No", voter_count: 0 },
          ],
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: true,
          type: "regular",
          allows_multiple_answers: false,
        },
      }),
    };
  },
  edited(from: TgUser, originalMessageId: number, text: string) {
    return {
      update_id: updateId++,
      edited_message: {
        message_id: originalMessageId,
        date: now(),
        edit_date: now(),
        chat: privateChat(from),
        from: { ...from, is_bot: false },
        text,
      },
    };
  },
  callback(from: TgUser, data: string, chatId = from.id, onMessageId = 1) {
    const chat = chatId > 0 ? privateChat(from) : groupChat(chatId);
    return {
      update_id: updateId++,
      callback_query: {
        id: String(updateId * 7),
        from: { ...from, is_bot: false },
        chat_instance: "4242",
        data,
        message: {
          message_id: onMessageId,
          date: now(),
          chat,
          from: { id: 7000001, is_bot: true, first_name: "Helpdesk" },
          text: "…",
        },
      },
    };
  },
  blocked(from: TgUser, blocked: boolean) {
    const bot = { id: 7000001, is_bot: true, first_name: "Helpdesk", username: "helpdesk_test_bot" };
    return {
      update_id: updateId++,
      my_chat_member: {
        chat: privateChat(from),
        from: { ...from, is_bot: false },
        date: now(),
        old_chat_member: {
          user: bot,
          status: blocked ? "member" : "kicked",
          ...(blocked ? {} : { until_date: 0 }),
        },
        new_chat_member: {
          user: bot,
          status: blocked ? "kicked" : "member",
          ...(blocked ? { until_date: 0 } : {}),
        },
      },
    };
  },
};
