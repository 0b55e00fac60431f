import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, flushUpdateClaims, webhookHandler } from "../../bot/create-bot.js";
import { createDb, type DbHandle } from "../../drizzle/client.js";
import { users } from "../../drizzle/schema/index.js";
import { createTokenService } from "../../server/auth/tokens.js";
import { createContextFactory } from "../../server/domain/build-context.js";
import { scheduleJob } from "../../server/domain/index.js";
import { createChangeBus } from "../../server/events/bus.js";
import { relayChangesThroughPostgres } from "../../server/events/pg-relay.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { createApp } from "../../server/http/app.js";
import { createI18n } from "../../server/i18n.js";
import { createScheduler, type JobHandlers } from "../../server/jobs/scheduler/worker.js";
import { createFakeTelegram, type FakeTelegram } from "../../server/sandbox/bot-api/server.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { createTestDb, testDriver } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";
import { initDataUser, signInitData } from "../helpers/init-data.js";
import { silentLogger, TEST_TOKEN } from "../jobs/outbox-harness.js";
import { BOT_TOKEN } from "./http-harness.js";

/**
 * Two complete instances (HTTP app with the API and the bot's webhook, bot, change
 * relay, scheduler) on one PostgreSQL database, each with its own connection pool,
 * as two processes behind a load balancer would run: what one does, the other sees.
 */
const WEBHOOK_SECRET = "scale-out-webhook-secret-0123456789";
const JWT_SECRET = "a-scale-out-secret-that-is-long-enough-1234567890";
const unlimited = { perMinute: 10_000, burst: 10_000 };
const ran: string[] = [];
const handlers: JobHandlers = { auto_close: async (_ctx, payload) => void ran.push(String(payload.i)) };

async function instance(handle: DbHandle, w: World, fake: FakeTelegram) {
  const bus = createChangeBus();
  const relay = await relayChangesThroughPostgres(handle.sql!, bus, silentLogger);
  const contexts = createContextFactory({
    db: handle.db,
    clock: w.clock,
    notify: relay,
    files: createLocalFileStore("/tmp/helpdesk-scale-out-test"),
    settings: { timeZone: "Asia/Tehran", staffChatId: null, maxFileBytes: 1024 * 1024 },
  });
  const i18n = await createI18n("fa");
  const bot = createBot({
    token: TEST_TOKEN,
    apiRoot: fake.url,
    db: handle.db,
    i18n,
    logger: silentLogger,
    contexts,
    defaultLanguage: "fa",
  });
  const app = createApp({
    db: handle.db,
    i18n,
    logger: silentLogger,
    defaultLanguage: "fa",
    miniAppDist: false,
    telegramWebhook: webhookHandler(bot, WEBHOOK_SECRET, silentLogger),
    api: {
      contexts,
      tokens: createTokenService(handle.db, JWT_SECRET),
      changes: bus,
      botToken: BOT_TOKEN,
      initDataMaxAgeS: 3600,
      telegramApiRoot: fake.url,
      // Writes per user are tight, the rest open: the test shows which bucket is shared.
      rateLimits: {
        auth: unlimited,
        authPerUser: unlimited,
        writesPerAddress: unlimited,
        writes: { perMinute: 1, burst: 3 },
      },
    },
  });
  const scheduler = createScheduler({
    db: handle.db,
    clock: w.clock,
    system: () => contexts.forSystem(),
    handlers,
    logger: silentLogger,
  });
  const json = (method: string, path: string, body: unknown, token?: string) =>
    app.request(path, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  return {
    app,
    bot,
    scheduler,
    json,
    async login(telegramId: number) {
      const res = await app.request("/api/auth/telegram", {
        method: "POST",
        headers: {
          authorization: `tma ${signInitData({ user: initDataUser(telegramId, "en") }, BOT_TOKEN)}`,
        },
      });
      return (await res.json()) as { accessToken: string; refreshToken: string; user: { id: string } };
    },
    async webhook(update: object) {
      const res = await app.request("/telegram/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
      await fake.webhookAnswer(res.headers.get("content-type"), await res.text());
    },
    close: () => relay.close(),
  };
}

describe.skipIf(testDriver() !== "postgres")("two instances on one PostgreSQL", () => {
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  let w: World;
  let fake: FakeTelegram;
  const handles: DbHandle[] = [];
  beforeAll(async () => {
    const first = await createTestDb();
    const second = await createDb({ DATA_DIR: "", DATABASE_URL: first.url, maxConnections: 10 });
    handles.push(first, second);
    w = createWorld(first.db);
    fake = await createFakeTelegram({ strictMessages: true });
    a = await instance(first, w, fake);
    b = await instance(second, w, fake);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    for (const h of handles.reverse()) await h.close();
  });

  it("handle a bot update delivered to both of them once", async () => {
    const tg = tgUser(880_001, "en");
    const update = updates.text(tg, "/help");
    await Promise.all([a.webhook(update), b.webhook(update)]);
    await Promise.all([flushUpdateClaims(a.bot), flushUpdateClaims(b.bot)]);
    const answers = fake.calls.filter(
      (c) => Number(c.params.chat_id) === tg.id && c.method === "sendMessage",
    );
    expect(answers).toHaveLength(1);
  });

  it("share rate limits, sessions (refresh tokens) and live events", async () => {
    const customer = await a.login(880_002);
    const staff = await b.login(880_003);
    await w.db.update(users).set({ role: "agent" }).where(eq(users.id, staff.user.id));
    const categoryId = await w.categoryId();

    // The staff member watches on B; the customer writes on A.
    const watcher = await b.app.request(`/api/events?access_token=${staff.accessToken}`);
    expect(watcher.headers.get("content-type")).toContain("text/event-stream");
    const statuses: number[] = [];
    for (const side of [a, b, a, b])
      statuses.push(
        (await side.json("POST", "/api/tickets", { title: "Two doors", categoryId }, customer.accessToken))
          .status,
      );
    // Three writes a burst, counted across both instances.
    expect(statuses).toEqual([201, 201, 201, 429]);

    const reader = watcher.body!.getReader();
    let text = "";
    const end = Date.now() + 10_000;
    while (!text.includes("ticket.created") && Date.now() < end) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((r) => setTimeout(() => r(null), 200)),
      ]);
      if (chunk && !chunk.done) text += new TextDecoder().decode(chunk.value);
    }
    await reader.cancel();
    expect(text).toContain("event: ticket.created");

    // A refresh token issued by A rotates on B, once: A then refuses the old one.
    const rotated = await b.json("POST", "/api/auth/refresh", { refreshToken: customer.refreshToken });
    expect(rotated.status).toBe(200);
    const again = await a.json("POST", "/api/auth/refresh", { refreshToken: customer.refreshToken });
    expect(again.status).toBe(401);
  });

  it("run each scheduled job once between them", async () => {
    for (let i = 0; i < 30; i++)
      await scheduleJob(w.db, {
        kind: "auto_close",
        key: `scale:${i}`,
        runAt: w.clock.now(),
        payload: { i },
      });
    await Promise.all([
      a.scheduler.runDue(),
      b.scheduler.runDue(),
      a.scheduler.runDue(),
      b.scheduler.runDue(),
    ]);
    expect([...ran].sort()).toEqual(Array.from({ length: 30 }, (_, i) => String(i)).sort());
  });
});
