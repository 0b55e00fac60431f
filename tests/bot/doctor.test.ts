import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { eq, sql } from "drizzle-orm";
import { Telegram } from "telegraf";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDoctor, runDoctor } from "../../bot/doctor.js";
import { notifications, users } from "../../drizzle/schema/index.js";
import { createI18n } from "../../server/i18n.js";
import { BOT_USER } from "../../server/sandbox/bot-api/results.js";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
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

const run = promisify(execFile);
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

  it("warns of privacy mode and of a webhook left set in polling mode; fails an unreachable chat and a failing Telegram", async () => {
    const { fake } = botWorld();
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fake.url });
    fake.setBotInfo({ can_read_all_group_messages: false });
    await telegram.setWebhook("https://old.example.org/telegram/webhook");
    fake.failNext("getChat", FAILURES.badRequest("chat not found"), { chatId: STAFF });
    const checks = await runDoctor({ db: w.db, telegram, staffChatId: STAFF });
    expect(levels(checks)).toMatchObject({
      privacy_on: "warn",
      public_url_missing: "warn",
      polling_webhook_set: "warn",
      chat_unreachable: "fail",
    });
    expect(checks.find((c) => c.key === "chat_unreachable")?.vars?.error).toContain("chat not found");

    // Telegram failing between two calls: said so, and the staff chats are still checked.
    fake.failNext("getWebhookInfo", FAILURES.serverError());
    const failing = await runDoctor({ db: w.db, telegram, staffChatId: STAFF });
    expect(levels(failing)).toMatchObject({ webhook_unknown: "fail" });
    expect(failing.some((c) => c.key.startsWith("chat_"))).toBe(true);
    fake.setBotInfo({});
    await telegram.deleteWebhook();
  });

  it("runs as npm run doctor: prints the report in the asked language and exits 1 on a failure", async () => {
    const { fake } = botWorld();
    fake.setChat(STAFF, { id: STAFF, type: "supergroup", title: "Support", is_forum: false });
    fake.setChatMember(STAFF, BOT_USER.id, { status: "administrator", user: BOT_USER });
    const dataDir = mkdtempSync(join(tmpdir(), "doctor-"));
    const env = {
      ...process.env,
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      STAFF_CHAT_ID: String(STAFF),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      PUBLIC_URL: "",
      LOG_LEVEL: "silent",
    };
    const cli = (args: string[]) =>
      run(process.execPath, ["--import", "tsx", "scripts/doctor.ts", ...args], { env }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    try {
      const fine = await cli(["--lang", "ru"]);
      expect(fine.out).toContain("Проверка настройки");
      expect(fine.code).toBe(0);
      fake.failNext("getMe", { error_code: 401, description: "Unauthorized" });
      const broken = await cli([]);
      expect(broken.out).toContain("Telegram refused the bot token");
      expect(broken.code).toBe(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

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

  it("warns of each chat delivery is more than 120 s behind, naming the chat and the lag", async () => {
    const { fake } = botWorld();
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: fake.url });
    const person = await w.user("requester", { firstName: "Parisa", username: "pa" });
    const queue = (chatId: number, ageS: number, key: string) =>
      w.db.insert(notifications).values({
        chatId,
        type: "system",
        idempotencyKey: `doctor-backlog-${key}`,
        createdAt: sql`now() - make_interval(secs => ${ageS})`,
      });
    const before = await runDoctor({ db: w.db, telegram, staffChatId: STAFF });
    expect(before.filter((c) => c.key.startsWith("backlog_"))).toEqual([
      { level: "ok", key: "backlog_ok", vars: { seconds: 120 } },
    ]);
    await queue(person.telegramId, 400, "a");
    await queue(person.telegramId, 10, "b");
    await queue(STAFF, 90, "c"); // behind, but not yet by enough to warn
    try {
      const checks = await runDoctor({ db: w.db, telegram, staffChatId: STAFF });
      const backlog = checks.filter((c) => c.key.startsWith("backlog_"));
      expect(backlog).toMatchObject([
        {
          level: "warn",
          key: "backlog_behind",
          vars: { chat: `Parisa @pa (${person.telegramId})`, queued: 2 },
        },
      ]);
      expect(backlog[0].vars?.lag).toBeGreaterThanOrEqual(400);
      const i18n = await createI18n("en");
      const text = formatDoctor(checks, i18n.getFixedT("ru"));
      expect(text).toMatch(
        new RegExp(`⚠️ Доставка в Parisa @pa \\(${person.telegramId}\\) отстаёт на 4\\d\\d с`),
      );
    } finally {
      // The report is read by the other tests of this file: leave the queue as it was.
      await w.db.delete(notifications).where(sql`${notifications.idempotencyKey} like 'doctor-backlog-%'`);
    }
  });
});
