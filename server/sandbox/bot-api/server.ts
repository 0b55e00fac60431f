import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAnswers } from "./answers.js";
import { FAILURES, type Failure } from "./failures.js";
import { createLimits, type LimitOptions } from "./limits.js";
import { FakeFailure } from "./messages.js";
import { parseBotRequest, type UploadedFile } from "./parse.js";
import type { Params } from "./results.js";

export { topicIconId } from "./answers.js";
export { FAILURES, type Failure, maxInWindow } from "./failures.js";
export { type LimitStats, TELEGRAM_FLOOD_LIMITS } from "./limits.js";

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
  /** Matching calls let through before the failures start. */
  skip: number;
}

const QUERY_ANSWERED = "query is too old and response timeout expired or query ID is invalid";

const SEND_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendVoice",
  "sendAudio",
  "sendVideoNote",
  "sendAnimation",
  "sendSticker",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendMediaGroup",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
]);

/**
 * A Bot API server on 127.0.0.1 for tests: answers like Telegram, records every
 * call, and fails on demand (429 with retry_after, 403, 400, 500, hanging calls).
 * It keeps every chat's messages (ids sequential per chat, shared with the
 * user's messages a test adds), so edits answer as Telegram's do; with
 * `strictMessages`, an edit of an id it never handed out is "not found" too.
 * With `enforceLimits`, calls beyond Telegram's flood limits get 429 (limits.ts).
 */
export async function createFakeTelegram(
  opts: {
    token?: string;
    pollCapMs?: number;
    strictMessages?: boolean;
    enforceLimits?: boolean | LimitOptions;
    /** Told of every call answered successfully (the sandbox keeps its chats from them). */
    onCall?: (call: RecordedCall) => void;
    /** The bytes of a file the bot downloads (`/file/bot<token>/<file_path>`); default a stand-in text. */
    fileBytes?: (filePath: string) => Buffer | undefined;
    /** The port on 127.0.0.1 (default: any free one). */
    port?: number;
  } = {},
) {
  const calls: RecordedCall[] = [];
  const failures: PendingFailure[] = [];
  const blocked = new Set<number>();
  const answers = createAnswers(opts.strictMessages);
  const { chats, members, updates } = answers;
  const pollers = new Set<() => void>();
  const hanging = new Set<ServerResponse>();
  const answeredQueries = new Set<string>();
  const limits = opts.enforceLimits
    ? createLimits(opts.enforceLimits === true ? {} : opts.enforceLimits)
    : null;

  function takeFailure(method: string, chatId: number): Failure | "hang" | undefined {
    if (SEND_METHODS.has(method) && blocked.has(chatId)) return FAILURES.blocked();
    const i = failures.findIndex(
      (f) => f.method === method && (f.chatId === undefined || f.chatId === chatId),
    );
    if (i < 0) return undefined;
    const f = failures[i];
    if (f.skip > 0) {
      f.skip--;
      return undefined;
    }
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
      const filePath = url.pathname.split("/").slice(3).join("/");
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(opts.fileBytes?.(filePath) ?? Buffer.from(`bytes of ${url.pathname.split("/").pop()}`));
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
    const chatId = Number(params.chat_id);
    // An injected failure first; else the flood limits, which count only calls they let through.
    const failure = answered
      ? FAILURES.badRequest(QUERY_ANSWERED)
      : (takeFailure(method, chatId) ?? limits?.check(method, chatId));
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
    let value: unknown;
    try {
      value = answers.result(method, params, files);
    } catch (err) {
      if (!(err instanceof FakeFailure)) throw err;
      call.failure = err.failure;
      const { error_code, description } = err.failure;
      return { status: error_code, body: { ok: false, error_code, description } };
    }
    if (value === undefined)
      return {
        status: 404,
        body: { ok: false, error_code: 404, description: "Not Found: method not found" },
      };
    call.result = value;
    opts.onCall?.(call);
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
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
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
    /** What the flood limits counted and refused (null: `enforceLimits` is off). */
    limitStats: limits?.stats ?? null,
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
    failNext(
      method: string,
      failure: Failure | "hang",
      match: { chatId?: number; times?: number; after?: number } = {},
    ) {
      failures.push({
        method,
        failure,
        chatId: match.chatId,
        times: match.times ?? 1,
        skip: match.after ?? 0,
      });
    },
    /** The messages of a chat, by id: what each holds now (a probe must not have changed it). */
    messagesOf: (chatId: number) => answers.messages.of(chatId),
    /** A message the bot posted earlier (a test's history): it takes the chat's next id. */
    botMessage: (chatId: number, text = "earlier", replyMarkup?: unknown) =>
      answers.messages.add(chatId, { fromBot: true, text, replyMarkup }),
    /** A message the user writes in a chat: it takes the chat's next id, and the bot cannot edit it. */
    userMessage: (chatId: number) => answers.messages.add(chatId, { fromBot: false }),
    /** The user deletes a message: an edit of it is "not found" from now on. */
    deleteMessage: (chatId: number, messageId: number) => answers.messages.remove(chatId, messageId),
    blockChat: (chatId: number) => blocked.add(chatId),
    unblockChat: (chatId: number) => blocked.delete(chatId),
    setChat: (chatId: number, chat: Record<string, unknown>) => chats.set(chatId, chat),
    /** Changes what getMe answers (e.g. privacy mode on: can_read_all_group_messages false). */
    setBotInfo: answers.setBotInfo,
    setChatMember: (chatId: number, userId: number, member: Record<string, unknown>) =>
      members.set(`${chatId}:${userId}`, member),
    pushUpdate(update: { update_id: number } & Record<string, unknown>) {
      updates.push(update);
      for (const wake of [...pollers]) wake();
    },
    webhookInfo: answers.webhookInfo,
    async close() {
      for (const res of hanging) res.destroy();
      for (const wake of [...pollers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof createFakeTelegram>>;
