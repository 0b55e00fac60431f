import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FAILURES, type Failure } from "./failures.js";
import { parseBotRequest, type UploadedFile } from "./parse.js";
import { BOT_USER, chatOf, mediaOf, type Params } from "./results.js";

export { FAILURES, type Failure, maxInWindow } from "./failures.js";

export interface RecordedCall {
  method: string;
  params: Params;
  files: UploadedFile[];
  /** Wall-clock ms when the call arrived (rate-limit checks). */
  at: number;
  /** The error answered instead of a result, if one was injected. */
  failure?: Failure;
  /** What was answered (a sent Message, for a test to reply to it). */
  result?: unknown;
}

interface PendingFailure {
  method: string;
  failure: Failure | "hang";
  chatId?: number;
  times: number;
}

/** Some of the emoji Telegram offers as topic icons (with its variation selectors). */
const TOPIC_ICON_EMOJI = ["📰", "💡", "⚡️", "🔥", "❗️", "📝", "📁", "❓", "✅", "✔️", "🔎", "📣"];
/** The custom emoji id the fake gives a topic icon: stable, so tests can name it. */
export const topicIconId = (emoji: string) =>
  `5${[...emoji.replace(/\uFE0F/g, "")].map((c) => c.codePointAt(0)).join("")}`;

const QUERY_ANSWERED = "query is too old and response timeout expired or query ID is invalid";

const SEND_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendVoice",
  "sendMediaGroup",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
]);

/**
 * A Bot API server on 127.0.0.1 for tests: answers like Telegram, records every
 * call, and fails on demand (429 with retry_after, 403, 400, 500, hanging calls).
 */
export async function createFakeTelegram(opts: { token?: string; pollCapMs?: number } = {}) {
  const calls: RecordedCall[] = [];
  const failures: PendingFailure[] = [];
  const blocked = new Set<number>();
  const nextMessageId = new Map<number, number>();
  const chats = new Map<number, Record<string, unknown>>();
  const members = new Map<string, Record<string, unknown>>();
  const commands = new Map<string, unknown>();
  const updates: Array<{ update_id: number } & Record<string, unknown>> = [];
  const pollers = new Set<() => void>();
  let webhook = { url: "", has_custom_certificate: false, pending_update_count: 0, secret: "" };
  let nextTopicId = 1000;
  const hanging = new Set<ServerResponse>();
  let botInfo: Record<string, unknown> = {};
  const answeredQueries = new Set<string>();

  const newMessageId = (chatId: number) => {
    const id = (nextMessageId.get(chatId) ?? 0) + 1;
    nextMessageId.set(chatId, id);
    return id;
  };
  const message = (p: Params, extra: Record<string, unknown> = {}) => {
    const chatId = Number(p.chat_id);
    const threadId = p.message_thread_id ? Number(p.message_thread_id) : undefined;
    return {
      message_id: newMessageId(chatId),
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(chatId, chats.get(chatId)),
      from: BOT_USER,
      ...(threadId ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.caption !== undefined ? { caption: p.caption } : {}),
      ...(p.reply_markup && typeof p.reply_markup === "object" ? { reply_markup: p.reply_markup } : {}),
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
        return message(p, mediaOf(method, p, files));
      case "sendMediaGroup": {
        const group = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
        return (p.media as Params[]).map((m) =>
          message({ ...p, caption: m.caption }, { media_group_id: group }),
        );
      }
      case "copyMessage":
      case "forwardMessage":
        return method === "copyMessage" ? { message_id: newMessageId(chatId) } : message(p);
      case "copyMessages":
        return (p.message_ids as number[]).map(() => ({ message_id: newMessageId(chatId) }));
      case "editMessageText":
      case "editMessageCaption":
      case "editMessageReplyMarkup":
        return p.inline_message_id
          ? true
          : { ...message(p), message_id: Number(p.message_id), edit_date: Date.now() };
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

  function takeFailure(method: string, chatId: number): Failure | "hang" | undefined {
    if (SEND_METHODS.has(method) && blocked.has(chatId)) return FAILURES.blocked();
    const i = failures.findIndex(
      (f) => f.method === method && (f.chatId === undefined || f.chatId === chatId),
    );
    if (i < 0) return undefined;
    const f = failures[i];
    if (--f.times <= 0) failures.splice(i, 1);
    return f.failure;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith("/file/bot")) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(Buffer.from(`bytes of ${url.pathname.split("/").pop()}`));
    }
    if (!match) return send(404, { ok: false, error_code: 404, description: "Not Found" });
    if (opts.token && match[1] !== opts.token)
      return send(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const { params, files } = await parseBotRequest(req, url);
    const answer = await execute(match[2], params, files, res);
    if (answer) send(answer.status, answer.body);
  }

  /**
   * Records and answers one call: made over HTTP, or carried in the bot's answer to a
   * webhook request (nothing reads that result). Undefined: the call hangs on `res`.
   */
  async function execute(
    method: string,
    params: Params,
    files: UploadedFile[],
    res?: ServerResponse,
  ): Promise<{ status: number; body: unknown } | undefined> {
    const call: RecordedCall = { method, params, files, at: Date.now() };
    calls.push(call);
    // Telegram takes one answer per callback query; a second one is refused.
    let answered = false;
    if (method === "answerCallbackQuery") {
      const id = String(params.callback_query_id);
      answered = answeredQueries.has(id);
      answeredQueries.add(id);
    }
    const failure = answered
      ? FAILURES.badRequest(QUERY_ANSWERED)
      : takeFailure(method, Number(params.chat_id));
    if (failure === "hang") {
      if (res) hanging.add(res);
      return;
    }
    if (failure) {
      call.failure = failure;
      const parameters = failure.retry_after ? { retry_after: failure.retry_after } : undefined;
      const body = {
        ok: false,
        error_code: failure.error_code,
        description: failure.description,
        parameters,
      };
      return { status: failure.error_code, body };
    }
    if (method === "getUpdates") await waitForUpdates(params);
    const value = result(method, params, files);
    if (value === undefined)
      return {
        status: 404,
        body: { ok: false, error_code: 404, description: "Not Found: method not found" },
      };
    call.result = value;
    return { status: 200, body: { ok: true, result: value } };
  }

  /** Long polling: hold the request until an update arrives or the (capped) timeout passes. */
  async function waitForUpdates(p: Params) {
    const offset = Number(p.offset ?? 0);
    if (updates.some((u) => u.update_id >= offset)) return;
    const ms = Math.min(Number(p.timeout ?? 0) * 1000, opts.pollCapMs ?? 500);
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pollers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pollers.add(done);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /**
     * What Telegram does with the bot's answer to a webhook request: a JSON body with a
     * `method` is executed as that call (its result goes nowhere); any other body is ignored.
     */
    async webhookAnswer(contentType: string | null, body: string): Promise<void> {
      if (!contentType?.startsWith("application/json")) return;
      const { method, ...params } = JSON.parse(body) as { method?: unknown } & Params;
      if (typeof method === "string") await execute(method, params, []);
    },
    callsOf: (method: string) => calls.filter((c) => c.method === method && !c.failure),
    /** Successful message-sending calls, optionally to one chat. */
    sends: (chatId?: number) =>
      calls.filter(
        (c) =>
          SEND_METHODS.has(c.method) &&
          !c.failure &&
          (chatId === undefined || Number(c.params.chat_id) === chatId),
      ),
    clear: () => calls.splice(0),
    failNext(method: string, failure: Failure | "hang", match: { chatId?: number; times?: number } = {}) {
      failures.push({ method, failure, chatId: match.chatId, times: match.times ?? 1 });
    },
    blockChat: (chatId: number) => blocked.add(chatId),
    unblockChat: (chatId: number) => blocked.delete(chatId),
    setChat: (chatId: number, chat: Record<string, unknown>) => chats.set(chatId, chat),
    /** Changes what getMe answers (e.g. privacy mode on: can_read_all_group_messages false). */
    setBotInfo: (info: Record<string, unknown>) => {
      botInfo = info;
    },
    setChatMember: (chatId: number, userId: number, member: Record<string, unknown>) =>
      members.set(`${chatId}:${userId}`, member),
    pushUpdate(update: { update_id: number } & Record<string, unknown>) {
      updates.push(update);
      for (const wake of [...pollers]) wake();
    },
    webhookInfo: () => webhook,
    async close() {
      for (const res of hanging) res.destroy();
      for (const wake of [...pollers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof createFakeTelegram>>;
