import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { webhookHandler } from "../../bot/create-bot.js";
import { startBot, webhookSecretOf } from "../../bot/runtime.js";
import { users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { createApp } from "../../server/http/app.js";
import { createI18n } from "../../server/i18n.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { silentLogger, TEST_TOKEN } from "../jobs/outbox-harness.js";
import { setupBot } from "./bot-harness.js";

const world = setupTestWorld();
const botWorld = setupBot(world);
let w: World;
beforeAll(() => {
  w = world();
});

const SECRET = webhookSecretOf(TEST_TOKEN);

/** The HTTP door with the bot's webhook route only. */
const webhookApp = async (bot: Parameters<typeof webhookHandler>[0]) =>
  createApp({
    db: w.db,
    i18n: await createI18n("fa"),
    logger: silentLogger,
    defaultLanguage: "fa",
    telegramWebhook: webhookHandler(bot, SECRET, silentLogger),
  });

describe("webhook mode", () => {
  it("handles updates posted with the secret token and refuses others with 401", async () => {
    const { bot, textsTo } = botWorld();
    const app = await webhookApp(bot);
    const tg = tgUser(600_001, "en");
    const post = (headers: Record<string, string>, body: unknown) =>
      app.request("/telegram/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    expect((await post({}, updates.text(tg, "/help"))).status).toBe(401);
    expect(
      (await post({ "x-telegram-bot-api-secret-token": "wrong-secret-value" }, updates.text(tg, "/help")))
        .status,
    ).toBe(401);
    expect(textsTo(tg.id)).toHaveLength(0);
    const ok = await post({ "x-telegram-bot-api-secret-token": SECRET }, updates.text(tg, "/help"));
    expect(ok.status).toBe(200);
    expect(textsTo(tg.id).at(-1)).toContain("/new");
    expect((await post({ "x-telegram-bot-api-secret-token": SECRET }, { hello: "world" })).status).toBe(400);
  });

  it("lets the shutdown wait for an update still being handled after its request was given up", async () => {
    const { bot, textsTo } = botWorld();
    const tg = tgUser(600_009, "en");
    // Handling is held at a gate, as a slow database would hold it while the proxy gives up.
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const handleUpdate = bot.handleUpdate.bind(bot);
    bot.handleUpdate = (async (update: Parameters<typeof handleUpdate>[0]) => {
      await gate;
      return handleUpdate(update);
    }) as typeof bot.handleUpdate;
    const handler = webhookHandler(bot, SECRET, silentLogger);
    const answer = handler(
      new Request("http://desk/telegram/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify(updates.text(tg, "/help")),
      }),
    );
    let settled = false;
    const done = handler.settled().then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);
    open();
    await done;
    // Settled only once the update was handled through: its answer is made, not cut off.
    expect(textsTo(tg.id).at(-1)).toContain("/new");
    expect((await answer).status).toBe(200);
    await handler.settled();
  });

  it("answers the webhook request with the update's last call, which Telegram then makes", async () => {
    const { bot, textsTo, fake } = botWorld();
    const app = await webhookApp(bot);
    const tg = tgUser(600_003, "en");
    const post = (update: unknown) =>
      app.request("/telegram/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify(update),
      });
    // /help sends its text itself: nothing rides on the answer.
    const help = await post(updates.text(tg, "/help"));
    expect(await help.text()).toBe("ok");
    const [requester] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Projector", categoryId: await w.categoryId() },
    });
    // /my: the list is the answer's call, not a request of the bot's.
    const sentBefore = textsTo(tg.id).length;
    const my = await post(updates.text(tg, "/my"));
    expect(my.headers.get("content-type")).toContain("application/json");
    const list = await my.json();
    expect(list).toMatchObject({ method: "sendMessage", chat_id: tg.id });
    expect(JSON.stringify(list.reply_markup)).toContain(ticket.number);
    expect(textsTo(tg.id)).toHaveLength(sentBefore);
    // A tap on the listed ticket: the card is sent at once, the query answered in the answer.
    const tap = await post(updates.callback(tg, list.reply_markup.inline_keyboard[0][0].callback_data));
    const answer = await tap.json();
    expect(answer).toMatchObject({ method: "answerCallbackQuery" });
    expect(typeof answer.callback_query_id).toBe("string");
    expect(textsTo(tg.id).at(-1)).toContain(ticket.number);
    expect(fake.callsOf("answerCallbackQuery")).toHaveLength(0);
  });

  it("registers the webhook with its secret and the commands in every language", async () => {
    const { bot, fake } = botWorld();
    const agent = await w.user("agent", { language: "ru" });
    const retired = await w.user("agent", { isActive: false });
    const requester = await w.user("requester");
    const runtime = await startBot(bot, await createI18n("fa"), silentLogger, {
      publicUrl: "https://desk.example.org",
      webhookSecret: SECRET,
      defaultLanguage: "fa",
      staffChatIds: [-1004000],
      db: w.db,
    });
    await runtime.menus;
    await runtime.stop();
    expect(fake.webhookInfo()).toMatchObject({
      url: "https://desk.example.org/telegram/webhook",
      secret: SECRET,
    });
    const privateScopes = fake
      .callsOf("setMyCommands")
      .filter((c) => (c.params.scope as { type: string }).type === "all_private_chats");
    expect(privateScopes.map((c) => c.params.language_code ?? "default").sort()).toEqual([
      "default",
      "en",
      "fa",
      "ru",
    ]);
    const staffScope = fake
      .callsOf("setMyCommands")
      .filter((c) => (c.params.scope as { chat_id?: number }).chat_id === -1004000);
    expect(JSON.stringify(staffScope.map((c) => c.params.commands))).toContain("note");
    // One staff menu per language (and the default), each described in that language.
    expect(staffScope.map((c) => c.params.language_code ?? "default").sort()).toEqual([
      "default",
      "en",
      "fa",
      "ru",
    ]);
    const staffRu = staffScope.find((c) => c.params.language_code === "ru");
    expect(JSON.stringify(staffRu?.params.commands)).toMatch(/[\u0400-\u04FF]/);
    const fa = fake.callsOf("setMyCommands").find((c) => c.params.language_code === "fa");
    expect(JSON.stringify(fa?.params.commands)).toContain("ثبت تیکت");
    // The command menu for everyone; the Mini App button, in their language, only for active staff.
    const menus = fake.callsOf("setChatMenuButton").map((c) => c.params);
    expect(menus[0]).toEqual({ menu_button: { type: "commands" } });
    const forAgent = menus.find((m) => m.chat_id === agent.telegramId);
    expect(forAgent?.menu_button).toEqual({
      type: "web_app",
      text: "Заявки",
      web_app: { url: "https://desk.example.org/" },
    });
    expect(menus.some((m) => m.chat_id === retired.telegramId || m.chat_id === requester.telegramId)).toBe(
      false,
    );
  });

  it("gives someone promoted to staff the Mini App button on their next /start, and takes it away again", async () => {
    const { send, fake } = botWorld();
    const tg = tgUser(600_010, "en");
    await send(updates.text(tg, "/start"));
    expect(fake.callsOf("setChatMenuButton").at(-1)?.params).toEqual({
      chat_id: tg.id,
      menu_button: { type: "default" },
    });
    await w.db.update(users).set({ role: "moderator" }).where(eq(users.telegramId, tg.id));
    await send(updates.text(tg, "/start"));
    expect(fake.callsOf("setChatMenuButton").at(-1)?.params).toMatchObject({
      chat_id: tg.id,
      menu_button: { type: "web_app", web_app: { url: "https://desk.example.org/" } },
    });
  });
});

describe("long polling mode", () => {
  it("receives updates through getUpdates and answers them", async () => {
    const { bot, fake, textsTo } = botWorld();
    const runtime = await startBot(bot, await createI18n("fa"), silentLogger, {
      defaultLanguage: "fa",
      db: w.db,
    });
    const tg = tgUser(600_002, "ru");
    fake.pushUpdate(updates.text(tg, "/help"));
    const end = Date.now() + 10_000;
    while (textsTo(tg.id).length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await runtime.stop();
    expect(textsTo(tg.id).at(-1)).toContain("/new");
    expect(fake.callsOf("deleteWebhook").length).toBeGreaterThan(0);
  });
});
