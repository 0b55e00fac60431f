import { describe, expect, it } from "vitest";
import { createLimits } from "../../server/sandbox/bot-api/limits.js";
import { createFakeTelegram } from "../../server/sandbox/bot-api/server.js";

/**
 * The fake Bot API's flood limits (what bench:burst holds the product to): each
 * window refuses the call beyond it with Telegram's 429 and frees as its oldest
 * call leaves it.
 */
function clocked() {
  let t = 1_000_000;
  const limits = createLimits({ now: () => t });
  return { limits, advance: (ms: number) => (t += ms) };
}

describe("the fake Bot API's flood limits", () => {
  it("lets a private chat have one message a second", () => {
    const { limits, advance } = clocked();
    expect(limits.check("sendMessage", 42)).toBeUndefined();
    advance(400);
    expect(limits.check("sendMessage", 42)).toEqual({
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      retry_after: 1,
    });
    // Another chat is not held back by this one.
    expect(limits.check("sendMessage", 43)).toBeUndefined();
    advance(600);
    expect(limits.check("sendMessage", 42)).toBeUndefined();
    expect(limits.stats.refused).toEqual({ bot: 0, private: 1, group: 0 });
  });

  it("lets a group have twenty posts a minute and names the seconds until the next", () => {
    const { limits, advance } = clocked();
    for (let i = 0; i < 20; i++) {
      expect(limits.check(i % 2 ? "editMessageText" : "sendMessage", -100)).toBeUndefined();
      advance(100);
    }
    // 2 s after the first post: its place frees 58 s later.
    expect(limits.check("sendPhoto", -100)?.retry_after).toBe(58);
    advance(58_000);
    expect(limits.check("sendMessage", -100)).toBeUndefined();
    expect(limits.check("sendMessage", -100)?.error_code).toBe(429);
    expect(limits.stats.refused.group).toBe(2);
  });

  it("lets the bot make thirty counted calls a second across chats", () => {
    const { limits, advance } = clocked();
    for (let chat = 1; chat <= 30; chat++) expect(limits.check("sendMessage", chat)).toBeUndefined();
    expect(limits.check("sendMessage", 31)?.retry_after).toBe(1);
    expect(limits.stats.refused.bot).toBe(1);
    advance(1000);
    expect(limits.check("sendMessage", 31)).toBeUndefined();
  });

  it("does not count reads, typing or callback answers", () => {
    const { limits } = clocked();
    for (const method of ["getChat", "sendChatAction", "answerCallbackQuery", "getUpdates"])
      expect(limits.check(method, 42)).toBeUndefined();
    expect(limits.check("sendMessage", 42)).toBeUndefined();
    expect(limits.check("createForumTopic", 42)?.error_code).toBe(429);
    expect(limits.stats.counted).toBe(1);
  });

  it("answers over HTTP as Telegram does, with parameters.retry_after", async () => {
    const fake = await createFakeTelegram({ enforceLimits: true });
    try {
      const send = () =>
        fetch(`${fake.url}/bot1:T/sendMessage`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ chat_id: 42, text: "hi" }),
        });
      expect((await send()).status).toBe(200);
      const refused = await send();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      });
      expect(fake.limitStats?.refused.private).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
