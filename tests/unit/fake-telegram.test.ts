import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeTelegram, FAILURES } from "../../server/sandbox/bot-api/server.js";

/**
 * The fake Bot API every bot test leans on: it must take a call in each of the
 * encodings the Bot API accepts, answer with Telegram's shapes, fail on demand,
 * and make the call a bot puts in its webhook answer.
 */
let fake: Awaited<ReturnType<typeof createFakeTelegram>>;
beforeAll(async () => {
  fake = await createFakeTelegram();
});
afterAll(() => fake.close());

const call = (method: string, init: RequestInit, query = "") =>
  fetch(`${fake.url}/bot123:TEST/${method}${query}`, { method: "POST", ...init }).then((r) => r.json());

describe("the fake Bot API", () => {
  it("takes JSON, urlencoded and query-string parameters, JSON-valued fields parsed", async () => {
    const keyboard = { inline_keyboard: [[{ text: "Take", callback_data: "x" }]] };
    const json = await call("sendMessage", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: 42, text: "hi", reply_markup: keyboard }),
    });
    expect(json).toMatchObject({ ok: true, result: { chat: { id: 42 }, text: "hi" } });
    const form = await call("sendMessage", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "42", text: "سلام", reply_markup: JSON.stringify(keyboard) }),
    });
    expect(form.result.message_id).toBe(json.result.message_id + 1);
    await call("getChat", {}, "?chat_id=-1007");
    const [first, second, third] = fake.calls.slice(-3);
    expect(first.params).toEqual({ chat_id: 42, text: "hi", reply_markup: keyboard });
    expect(second.params).toEqual({ chat_id: "42", text: "سلام", reply_markup: keyboard });
    expect(third).toMatchObject({ method: "getChat", params: { chat_id: "-1007" } });
  });

  it("takes a multipart upload: the fields and the file's name, type and bytes", async () => {
    const body = new FormData();
    body.set("chat_id", "42");
    body.set("caption", "screen");
    body.set("document", new Blob([Buffer.from("PDF bytes")], { type: "application/pdf" }), "report.pdf");
    const answer = await call("sendDocument", { body });
    expect(answer).toMatchObject({ ok: true, result: { chat: { id: 42 } } });
    const recorded = fake.calls.at(-1)!;
    expect(recorded.params).toMatchObject({
      chat_id: "42",
      caption: "screen",
      document: "attach://document",
    });
    expect(recorded.files).toEqual([
      {
        field: "document",
        fileName: "report.pdf",
        mimeType: "application/pdf",
        bytes: Buffer.from("PDF bytes"),
      },
    ]);
  });

  it("fails the next call of a method as asked: 429 with retry_after, then answers again", async () => {
    fake.failNext("sendMessage", FAILURES.tooMany(3));
    const json = {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: 7, text: "a" }),
    };
    expect(await call("sendMessage", json)).toEqual({
      ok: false,
      error_code: 429,
      description: expect.stringContaining("Too Many Requests"),
      parameters: { retry_after: 3 },
    });
    expect((await call("sendMessage", json)).ok).toBe(true);
  });

  it("makes the call in a webhook answer, and ignores an answer that is no call", async () => {
    const before = fake.calls.length;
    await fake.webhookAnswer("text/plain", "ok");
    await fake.webhookAnswer("application/json", JSON.stringify({ ok: true }));
    expect(fake.calls).toHaveLength(before);
    await fake.webhookAnswer(
      "application/json; charset=utf-8",
      JSON.stringify({ method: "answerCallbackQuery", callback_query_id: "q1", text: "done" }),
    );
    expect(fake.calls.at(-1)).toMatchObject({
      method: "answerCallbackQuery",
      params: { callback_query_id: "q1", text: "done" },
      result: true,
    });
  });

  it("keeps each chat's messages with sequential ids and refuses edits as Telegram does", async () => {
    const strict = await createFakeTelegram({ strictMessages: true });
    try {
      const api = (method: string, params: Record<string, unknown>) =>
        fetch(`${strict.url}/bot123:TEST/${method}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(params),
        }).then((r) => r.json());
      const keyboard = { inline_keyboard: [[{ text: "Take", callback_data: "x" }]] };
      const first = await api("sendMessage", { chat_id: 77, text: "one", reply_markup: keyboard });
      const mine = strict.userMessage(77);
      const second = await api("sendMessage", { chat_id: 77, text: "two" });
      expect([first.result.message_id, mine, second.result.message_id]).toEqual([1, 2, 3]);
      expect((await api("sendMessage", { chat_id: 78, text: "elsewhere" })).result.message_id).toBe(1);

      const edit = (message_id: number, reply_markup?: unknown) =>
        api("editMessageReplyMarkup", { chat_id: 77, message_id, reply_markup });
      expect(await edit(1, keyboard)).toEqual({
        ok: false,
        error_code: 400,
        description:
          "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      });
      expect(await edit(3)).toMatchObject({ ok: false, description: expect.stringMatching(/not modified/) });
      expect(await edit(2, keyboard)).toMatchObject({
        error_code: 400,
        description: "Bad Request: message can't be edited",
      });
      expect(await edit(4, keyboard)).toMatchObject({
        error_code: 400,
        description: "Bad Request: message to edit not found",
      });
      // An edit that changes something goes through and is kept.
      expect(await edit(3, keyboard)).toMatchObject({
        ok: true,
        result: { message_id: 3, reply_markup: keyboard },
      });
      expect(strict.messagesOf(77).get(3)?.replyMarkup).toEqual(keyboard);
      expect(await api("editMessageText", { chat_id: 77, message_id: 1, text: "one" })).toMatchObject({
        ok: true,
      });
      strict.deleteMessage(77, 1);
      expect(await edit(1)).toMatchObject({ description: "Bad Request: message to edit not found" });
    } finally {
      await strict.close();
    }
  });
});
