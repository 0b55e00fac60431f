import { eq } from "drizzle-orm";
import { Telegram } from "telegraf";
import { beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../bot/doctor.js";
import { users } from "../../drizzle/schema/index.js";
import { BOT_USER } from "../helpers/fake-telegram/results.js";
import { tgUser, updates } from "../helpers/fake-telegram/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { TEST_TOKEN } from "../jobs/outbox-harness.js";
import { setupBot } from "./bot-harness.js";

const STAFF = -1007000;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

const levels = (checks: { level: string; key: string }[]) =>
  Object.fromEntries(checks.map((c) => [c.key, c.level]));

describe("doctor", () => {
  it("says what to fix: a forum where the bot cannot manage topics, a webhook that is not set", async () => {
    const { fake } = botWorld();
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fake.url });
    fake.setChat(STAFF, { id: STAFF, type: "supergroup", title: "Support", is_forum: true });
    fake.setChatMember(STAFF, BOT_USER.id, {
      status: "administrator",
      user: BOT_USER,
      can_manage_topics: false,
    });
    const bad = await runDoctor({
      db: w.db,
      telegram,
      publicUrl: "https://desk.example.org",
      staffChatId: STAFF,
    });
    expect(levels(bad)).toMatchObject({
      token_ok: "ok",
      privacy_off: "ok",
      public_url_ok: "ok",
      webhook_wrong: "fail",
      chat_no_topics: "fail",
    });

    await telegram.setWebhook("https://desk.example.org/telegram/webhook");
    fake.setChatMember(STAFF, BOT_USER.id, {
      status: "administrator",
      user: BOT_USER,
      can_manage_topics: true,
    });
    const good = await runDoctor({
      db: w.db,
      telegram,
      publicUrl: "https://desk.example.org",
      staffChatId: STAFF,
    });
    expect(good.every((c) => c.level === "ok")).toBe(true);

    const local = await runDoctor({
      db: w.db,
      telegram,
      publicUrl: "http://localhost:3000",
      staffChatId: -1,
    });
    expect(levels(local)).toMatchObject({ public_url_bad: "fail", chat_not_admin: "fail" });
    const noToken = await runDoctor({ db: w.db, telegram: null });
    expect(noToken).toEqual([{ level: "fail", key: "token_missing" }]);
  });

  it("answers /doctor to admins in private, translated, and refuses everyone else", async () => {
    const { send, textsTo } = botWorld();
    const admin = tgUser(680_001, "ru");
    const someone = tgUser(680_002, "en");
    await send(updates.text(admin, "/help"));
    await w.db.update(users).set({ role: "admin" }).where(eq(users.telegramId, admin.id));
    await send(updates.text(admin, "/doctor"));
    expect(textsTo(admin.id).at(-1)).toContain("Проверка настройки");
    await send(updates.text(someone, "/doctor"));
    expect(textsTo(someone.id).at(-1)).toContain("not allowed");
  });
});
