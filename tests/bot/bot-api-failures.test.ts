import { describe, expect, it } from "vitest";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupBot } from "./bot-harness.js";

/** A Bot API that fails or hangs never stops the bot: it apologises where it can and goes on. */
const world = setupTestWorld();
const botWorld = setupBot(world);
let nextId = 430_000;

describe("when the Bot API fails", () => {
  it("keeps running: a 500, a 403 and a 429 on its answers are logged, and the next update is answered", async () => {
    const { send, textsTo, fake } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/help"));
    const answered = textsTo(tg.id).length;
    // The answer fails, and so does the apology sent for it.
    fake.failNext("sendMessage", FAILURES.serverError(), { chatId: tg.id, times: 2 });
    await send(updates.text(tg, "/help"));
    fake.failNext("sendMessage", FAILURES.blocked(), { chatId: tg.id, times: 2 });
    await send(updates.text(tg, "/my"));
    fake.failNext("sendMessage", FAILURES.tooMany(1), { chatId: tg.id, times: 2 });
    await send(updates.text(tg, "/settings"));
    expect(textsTo(tg.id)).toHaveLength(answered);
    await send(updates.text(tg, "/help"));
    expect(textsTo(tg.id)).toHaveLength(answered + 1);
    expect(textsTo(tg.id).at(-1)).toContain("/new");
  });
});

describe("when a Bot API call hangs", () => {
  it("gives up at the call's deadline, apologises, and answers the chat's next message", async () => {
    const { send, textsTo, fake } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/help"));
    fake.failNext("sendMessage", "hang", { chatId: tg.id, times: 1 });
    // The second update waits behind the first (one chat's updates run in order).
    await Promise.all([send(updates.text(tg, "/my")), send(updates.text(tg, "/help"))]);
    const [apology, help] = textsTo(tg.id).slice(-2);
    expect(apology).toContain("Something went wrong");
    expect(help).toContain("/new");
  }, 20_000);
});
