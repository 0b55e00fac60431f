import { afterEach, describe, expect, it } from "vitest";
import {
  createSandboxTelegram,
  SANDBOX_STAFF_CHAT,
  type SandboxTelegram,
} from "../../server/sandbox/world.js";

let sandbox: SandboxTelegram | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A Bot API call as the bot makes it. */
async function call(method: string, params: Record<string, unknown> = {}) {
  const res = await fetch(`${sandbox?.url}/bot${sandbox?.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return (await res.json()) as { ok: boolean; result: unknown };
}

describe("the sandbox's Telegram (server/sandbox/world.ts)", () => {
  it("queues what a person types for the bot's getUpdates, with a command's entity", async () => {
    sandbox = await createSandboxTelegram();
    const id = sandbox.say(710_002, 710_002, { text: "/new" });
    const { result } = await call("getUpdates", { offset: 0, timeout: 0 });
    const [update] = result as Array<{ message: Record<string, unknown> }>;
    expect(update.message).toMatchObject({
      message_id: id,
      text: "/new",
      chat: { id: 710_002, type: "private" },
      from: { id: 710_002, language_code: "en", is_bot: false },
      entities: [{ type: "bot_command", offset: 0, length: 4 }],
    });
  });

  it("keeps what the bot sends and edits for the page, and a press carries the message", async () => {
    sandbox = await createSandboxTelegram();
    const markup = { inline_keyboard: [[{ text: "Take", callback_data: "take:x" }]] };
    const sent = await call("sendMessage", {
      chat_id: SANDBOX_STAFF_CHAT,
      text: "<b>T-1</b>",
      parse_mode: "HTML",
      reply_markup: markup,
    });
    const messageId = (sent.result as { message_id: number }).message_id;
    await call("editMessageText", {
      chat_id: SANDBOX_STAFF_CHAT,
      message_id: messageId,
      text: "<b>T-1</b> taken",
      parse_mode: "HTML",
    });
    const topic = await call("createForumTopic", { chat_id: SANDBOX_STAFF_CHAT, name: "T-1 · Projector" });
    const shown = sandbox.snapshot();
    expect(shown.chats[SANDBOX_STAFF_CHAT]).toEqual([
      expect.objectContaining({ id: messageId, text: "<b>T-1</b> taken", html: true, edited: true }),
    ]);
    expect(Object.values(shown.topics)).toEqual(["T-1 · Projector"]);
    expect((topic.result as { message_thread_id: number }).message_thread_id).toBeGreaterThan(0);

    await call("editMessageReplyMarkup", {
      chat_id: SANDBOX_STAFF_CHAT,
      message_id: messageId,
      reply_markup: markup,
    });
    sandbox.press(SANDBOX_STAFF_CHAT, messageId, "take:x", 720_003);
    const { result } = await call("getUpdates", { offset: 0, timeout: 0 });
    const press = (result as Array<{ callback_query?: Record<string, unknown> }>).at(-1)?.callback_query;
    expect(press).toMatchObject({
      data: "take:x",
      from: { id: 720_003 },
      message: {
        message_id: messageId,
        chat: { id: SANDBOX_STAFF_CHAT, is_forum: true },
        reply_markup: markup,
      },
    });
  });

  it("serves a file sent from the page to the bot's download, and a reply names the replied message", async () => {
    sandbox = await createSandboxTelegram();
    const bytes = Buffer.from("%PDF-1.4 demo");
    sandbox.say(710_001, 710_001, {
      caption: "the report",
      file: { kind: "document", name: "report.pdf", mime: "application/pdf", bytes },
    });
    const { result } = await call("getUpdates", { offset: 0, timeout: 0 });
    const doc = (result as Array<{ message: { document: { file_id: string; file_name: string } } }>)[0]
      .message.document;
    expect(doc.file_name).toBe("report.pdf");
    const file = (await call("getFile", { file_id: doc.file_id })).result as { file_path: string };
    const download = await fetch(`${sandbox.url}/file/bot${sandbox.token}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    const post = await call("sendMessage", {
      chat_id: SANDBOX_STAFF_CHAT,
      text: "card",
      message_thread_id: 1000,
    });
    const postId = (post.result as { message_id: number }).message_id;
    sandbox.say(SANDBOX_STAFF_CHAT, 720_003, { text: "on it" }, { replyTo: postId });
    const all = (await call("getUpdates", { offset: 0, timeout: 0 })).result as Array<{
      message: Record<string, unknown>;
    }>;
    expect(all.at(-1)?.message).toMatchObject({
      text: "on it",
      message_thread_id: 1000,
      reply_to_message: { message_id: postId, text: "card", from: { is_bot: true } },
    });
  });
});
