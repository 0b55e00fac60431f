import { BOT_USER } from "./bot-api/results.js";
import { createFakeTelegram, type RecordedCall } from "./bot-api/server.js";
import { type ChatMessage, SANDBOX_PEOPLE, type SandboxPerson } from "./cast.js";

/**
 * The sandbox's Telegram: the Bot API stand-in the real bot polls (same bot code as in
 * production, only TELEGRAM_API_ROOT differs), the simulated people, and every chat's
 * messages kept in memory for the /sandbox page. What a person does on the page becomes
 * an update queued for the bot's getUpdates; what the bot sends or edits shows up in
 * the chats.
 */

/** The bot token of the sandbox: shaped like a real one, valid only against the stand-in. */
export const SANDBOX_TOKEN = "1000001:sandbox-token-not-valid-on-telegram";
/** The staff group (a forum: one topic per ticket). */
export const SANDBOX_STAFF_CHAT = -1_001_000_000_001;

const SEND_RESULTS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendVoice",
  "sendAudio",
  "sendAnimation",
  "sendSticker",
  "sendMediaGroup",
  "forwardMessage",
]);

type Msg = Record<string, unknown> & { message_id: number; chat: { id: number } };

export async function createSandboxTelegram() {
  const chats = new Map<number, ChatMessage[]>();
  const topics = new Map<number, string>();
  const uploads = new Map<string, Buffer>();
  let version = 0;
  let updateId = 1;
  let fileSeq = 0;
  const changed = () => {
    version++;
  };
  const chat = (id: number) => {
    const c = chats.get(id) ?? [];
    chats.set(id, c);
    return c;
  };

  function fromBotCall(call: RecordedCall) {
    const p = call.params;
    if (SEND_RESULTS.has(call.method)) {
      const sent = (Array.isArray(call.result) ? call.result : [call.result]) as Msg[];
      for (const m of sent) {
        chat(m.chat.id).push({
          id: m.message_id,
          from: { id: BOT_USER.id, name: BOT_USER.first_name, bot: true },
          text: m.text as string | undefined,
          caption: m.caption as string | undefined,
          html: p.parse_mode === "HTML",
          replyMarkup: m.reply_markup,
          threadId: m.message_thread_id as number | undefined,
          replyTo: replyIdOf(p),
          file: fileOf(m),
        });
      }
      changed();
    } else if (call.method === "copyMessage") {
      chat(Number(p.chat_id)).push({
        id: (call.result as { message_id: number }).message_id,
        from: { id: BOT_USER.id, name: BOT_USER.first_name, bot: true },
        text: `(a copy of message ${p.message_id} from chat ${p.from_chat_id})`,
        html: false,
        threadId: p.message_thread_id ? Number(p.message_thread_id) : undefined,
      });
      changed();
    } else if (call.method.startsWith("editMessage") && !p.inline_message_id) {
      const m = chat(Number(p.chat_id)).find((x) => x.id === Number(p.message_id));
      if (m) {
        if (call.method === "editMessageText") m.text = String(p.text);
        if (call.method === "editMessageCaption") m.caption = String(p.caption ?? "");
        m.replyMarkup = p.reply_markup;
        m.html = p.parse_mode === "HTML" || (call.method === "editMessageReplyMarkup" && m.html);
        m.edited = true;
        changed();
      }
    } else if (call.method === "deleteMessage") {
      const c = chat(Number(p.chat_id));
      const i = c.findIndex((x) => x.id === Number(p.message_id));
      if (i >= 0) c.splice(i, 1);
      changed();
    } else if (call.method === "createForumTopic") {
      topics.set((call.result as { message_thread_id: number }).message_thread_id, String(p.name));
      changed();
    } else if (call.method === "editForumTopic" && p.name) {
      topics.set(Number(p.message_thread_id), String(p.name));
      changed();
    }
  }

  const telegram = await createFakeTelegram({
    token: SANDBOX_TOKEN,
    // A real long poll: the bot's getUpdates waits until someone does something.
    pollCapMs: 25_000,
    strictMessages: false,
    onCall: fromBotCall,
    fileBytes: (path) => uploads.get(path.replace(/^files\//, "")),
  });
  const people = new Map(SANDBOX_PEOPLE.map((p) => [p.id, p]));
  const tgUserOf = (p: SandboxPerson) => ({
    id: p.id,
    is_bot: false,
    first_name: p.firstName,
    last_name: p.lastName,
    username: p.username,
    language_code: p.language,
  });
  const privateChatOf = (p: SandboxPerson) => ({
    id: p.id,
    type: "private",
    first_name: p.firstName,
    last_name: p.lastName,
    username: p.username,
  });
  const staffChat = { id: SANDBOX_STAFF_CHAT, type: "supergroup", title: "Staff (sandbox)", is_forum: true };
  telegram.setChat(SANDBOX_STAFF_CHAT, staffChat);
  telegram.setChatMember(SANDBOX_STAFF_CHAT, BOT_USER.id, {
    status: "administrator",
    user: BOT_USER,
    can_manage_topics: true,
    can_delete_messages: true,
    can_pin_messages: true,
  });
  for (const p of SANDBOX_PEOPLE) {
    telegram.setChat(p.id, privateChatOf(p));
    if (p.role !== "requester")
      telegram.setChatMember(SANDBOX_STAFF_CHAT, p.id, { status: "member", user: tgUserOf(p) });
  }

  const personOf = (id: number) => {
    const p = people.get(id);
    if (!p) throw new Error(`no sandbox person ${id}`);
    return p;
  };
  const chatObjectOf = (chatId: number, from: SandboxPerson) =>
    chatId === SANDBOX_STAFF_CHAT ? staffChat : privateChatOf(from);
  const nameOf = (p: SandboxPerson) => `${p.firstName} ${p.lastName ?? ""}`.trim();

  /** A person's message in a chat (private with the bot, or the staff group, in a topic or replying). */
  function say(
    chatId: number,
    fromId: number,
    content: {
      text?: string;
      caption?: string;
      file?: { kind: "photo" | "document"; name: string; mime: string; bytes: Buffer };
    },
    where: { threadId?: number; replyTo?: number } = {},
  ): number {
    const from = personOf(fromId);
    const chatObject = chatObjectOf(chatId, from);
    const id = telegram.userMessage(chatId);
    const extra: Record<string, unknown> = {};
    if (content.text !== undefined) {
      extra.text = content.text;
      const command = /^\/\S+/.exec(content.text);
      if (command) extra.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    }
    if (content.caption) extra.caption = content.caption;
    if (content.file) {
      const fileId = `sbx${++fileSeq}_${content.file.kind}`;
      uploads.set(fileId, content.file.bytes);
      const size = content.file.bytes.length;
      if (content.file.kind === "photo")
        extra.photo = [
          { file_id: fileId, file_unique_id: `u${fileId}`, width: 800, height: 600, file_size: size },
        ];
      else
        extra.document = {
          file_id: fileId,
          file_unique_id: `u${fileId}`,
          file_name: content.file.name,
          mime_type: content.file.mime,
          file_size: size,
        };
    }
    const replied = where.replyTo ? chat(chatId).find((m) => m.id === where.replyTo) : undefined;
    const threadId = where.threadId ?? replied?.threadId;
    if (threadId) {
      extra.message_thread_id = threadId;
      extra.is_topic_message = true;
    }
    if (replied) {
      extra.reply_to_message = {
        message_id: replied.id,
        date: Math.floor(Date.now() / 1000),
        chat: chatObject,
        from: replied.from.bot ? BOT_USER : tgUserOf(personOf(replied.from.id)),
        ...(replied.text !== undefined ? { text: replied.text } : {}),
        ...(replied.caption !== undefined ? { caption: replied.caption } : {}),
        ...(replied.threadId ? { message_thread_id: replied.threadId, is_topic_message: true } : {}),
      };
    } else if (threadId) {
      // Telegram marks a topic message as a reply to the topic's first message.
      extra.reply_to_message = {
        message_id: threadId,
        date: Math.floor(Date.now() / 1000),
        chat: chatObject,
        forum_topic_created: { name: topics.get(threadId) ?? "topic", icon_color: 7322096 },
      };
    }
    chat(chatId).push({
      id,
      from: { id: from.id, name: nameOf(from), bot: false },
      text: content.text,
      caption: content.caption,
      html: false,
      threadId,
      replyTo: replied?.id,
      file: content.file ? { kind: content.file.kind, name: content.file.name } : undefined,
    });
    changed();
    telegram.pushUpdate({
      update_id: updateId++,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: chatObject,
        from: tgUserOf(from),
        ...extra,
      },
    });
    return id;
  }

  /** A person presses an inline button of one of the bot's messages. */
  function press(chatId: number, messageId: number, data: string, fromId: number): void {
    const from = personOf(fromId);
    const m = chat(chatId).find((x) => x.id === messageId);
    if (!m) throw new Error(`no message ${messageId} in chat ${chatId}`);
    telegram.pushUpdate({
      update_id: updateId++,
      callback_query: {
        id: `sbx-cb-${updateId}`,
        from: tgUserOf(from),
        chat_instance: `sbx-${chatId}`,
        data,
        message: {
          message_id: m.id,
          date: Math.floor(Date.now() / 1000),
          chat: chatObjectOf(chatId, from),
          from: BOT_USER,
          ...(m.text !== undefined ? { text: m.text } : {}),
          ...(m.caption !== undefined ? { caption: m.caption } : {}),
          ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
          ...(m.threadId ? { message_thread_id: m.threadId, is_topic_message: true } : {}),
        },
      },
    });
  }

  return {
    url: telegram.url,
    token: SANDBOX_TOKEN,
    staffChatId: SANDBOX_STAFF_CHAT,
    people: SANDBOX_PEOPLE,
    /** Bumped on every change: the page asks again only when it moved. */
    version: () => version,
    /** Every chat the page shows: the requesters' private chats and the staff group, with its topics. */
    snapshot: () => ({
      version,
      staffChatId: SANDBOX_STAFF_CHAT,
      topics: Object.fromEntries(topics),
      chats: Object.fromEntries(chats),
    }),
    say,
    press,
    close: () => telegram.close(),
  };
}

export type SandboxTelegram = Awaited<ReturnType<typeof createSandboxTelegram>>;

function replyIdOf(p: Record<string, unknown>): number | undefined {
  const r = p.reply_parameters as { message_id?: number } | undefined;
  if (r?.message_id) return Number(r.message_id);
  return p.reply_to_message_id ? Number(p.reply_to_message_id) : undefined;
}

function fileOf(m: Msg): ChatMessage["file"] {
  if (m.photo) return { kind: "photo", name: "photo" };
  const doc = m.document as { file_name?: string } | undefined;
  if (doc) return { kind: "document", name: doc.file_name ?? "document" };
  for (const kind of ["video", "voice", "audio", "animation", "sticker"])
    if (m[kind]) return { kind, name: kind };
  return undefined;
}
