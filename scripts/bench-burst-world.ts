import { pino } from "pino";
import { Telegram } from "telegraf";
import { createBot } from "../bot/create-bot.js";
import { createTelegramDeliverer } from "../bot/delivery/deliverer.js";
import type { Db } from "../drizzle/client.js";
import { botCalls, botSessions, type User, users } from "../drizzle/schema/index.js";
import { createTokenService } from "../server/auth/tokens.js";
import { createContextFactory } from "../server/domain/build-context.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { createCallBudget } from "../server/domain/delivery/budget.js";
import { createTicket } from "../server/domain/index.js";
import { createChangeBus } from "../server/events/bus.js";
import { createApp } from "../server/http/app.js";
import { createI18n } from "../server/i18n.js";
import { createOutboxWorker } from "../server/jobs/outbox/worker.js";
import { createFakeTelegram } from "../server/sandbox/bot-api/server.js";
import type { TgUser } from "../server/sandbox/bot-api/updates.js";
import { progress } from "./bench-burst-measure.js";
import { insertRequesters } from "./bench-people.js";

export const TOKEN = "123456:BENCH-token-for-the-fake-bot-api";
export const STAFF_CHAT = -1001234567890;
const TIME_ZONE = "Asia/Tehran";
const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? "silent" });
/** The set-up's cards go to a fake without limits: no reason to wait on Telegram's. */
const SETUP_LIMITS = {
  global: { count: 1000, windowMs: 1000 },
  privateChat: { count: 100, windowMs: 1000 },
  groupChat: { count: 1000, windowMs: 1000 },
};

export interface Requester {
  tg: TgUser;
  user: User;
  ticketId: string;
}

/**
 * What a helpdesk looks like before the burst: `count` requesters, each with an
 * open ticket whose card (or forum topic) staff already have, and each in the
 * reply conversation of that ticket (they tapped Reply), so every plain message
 * goes into its thread. The tickets are opened through the domain and their
 * cards delivered through the product's own deliverer, to a throw-away fake
 * without limits: 500 cards at 20 a minute would take 25 minutes and are not
 * what is measured.
 */
export async function seedWorld(db: Db, count: number, forum: boolean) {
  await seedDefaults(db);
  const category = await db.query.categories.findFirst();
  const [admin] = await db
    .insert(users)
    .values({ telegramId: 4_999_999, firstName: "Bench admin", role: "admin", languageChosen: true })
    .returning();
  const { people, rows } = await insertRequesters(db, count);
  const contexts = createContextFactory({ db, settings: settings() });
  const requesters: Requester[] = [];
  for (const [i, user] of rows.entries()) {
    const ticket = await createTicket({
      ctx: contexts.forUser(user),
      input: { title: `Burst ticket ${i}`, description: `Printer ${i} is broken`, categoryId: category!.id },
    });
    requesters.push({ tg: people[i], user, ticketId: ticket.id });
  }
  const setup = await createFakeTelegram();
  if (forum)
    setup.setChat(STAFF_CHAT, { id: STAFF_CHAT, type: "supergroup", title: "Staff", is_forum: true });
  const worker = createOutboxWorker({
    db,
    deliver: createTelegramDeliverer({
      db,
      i18n: await createI18n("en"),
      telegram: new Telegram(TOKEN, { apiRoot: setup.url }),
      staffLanguage: "en",
    }),
    logger,
    limits: SETUP_LIMITS,
    idleMs: 20,
  });
  while ((await progress(db, STAFF_CHAT)).queued > 0) await worker.drainOnce();
  await worker.stop();
  await setup.close();
  // The relaxed set-up's calls are not the bot's record under Telegram's limits.
  await db.delete(botCalls);
  const expires = Math.floor(Date.now() / 1000) + 24 * 3600;
  await db.insert(botSessions).values(
    requesters.map((r) => ({
      key: `${r.tg.id}:${r.tg.id}`,
      data: { __scenes: { current: "reply-to-ticket", state: { replyTo: r.ticketId }, expires } },
    })),
  );
  return { admin, requesters };
}

const settings = () => ({ timeZone: TIME_ZONE, staffChatId: STAFF_CHAT, maxFileBytes: 10 << 20 });

/**
 * The product as server/main.ts composes it: one call budget shared by the bot's
 * answers and the outbox deliverer, a change bus that wakes the worker, the HTTP
 * app with the Mini App's API.
 */
export async function startProduct(db: Db, apiRoot: string, claimDb?: Db, apiDb: Db = db) {
  const bus = createChangeBus();
  const contexts = createContextFactory({ db, settings: settings(), notify: bus });
  const i18n = await createI18n("en");
  const callBudget = createCallBudget(db);
  const worker = createOutboxWorker({
    db,
    // Claims on a connection of their own on PostgreSQL, as main.ts gives them.
    claimDb,
    deliver: createTelegramDeliverer({
      budget: callBudget,
      timeZone: TIME_ZONE,
      db,
      i18n,
      telegram: new Telegram(TOKEN, { apiRoot }),
      staffLanguage: "en",
    }),
    logger,
  });
  bus.subscribe(() => worker.wake());
  const bot = createBot({
    token: TOKEN,
    apiRoot,
    db,
    i18n,
    logger,
    contexts,
    defaultLanguage: "en",
    staffChatId: STAFF_CHAT,
    callBudget,
  });
  // The API on connections of its own, as main.ts gives it (DbHandle.apiDb).
  const apiContexts =
    apiDb === db ? contexts : createContextFactory({ db: apiDb, settings: settings(), notify: bus });
  const tokens = createTokenService(apiDb, "bench-secret-that-is-long-enough-1234567890");
  const app = createApp({
    db: apiDb,
    i18n,
    logger,
    defaultLanguage: "en",
    miniAppDist: false,
    api: {
      contexts: apiContexts,
      tokens,
      changes: bus,
      botToken: TOKEN,
      initDataMaxAgeS: 3600,
      telegramApiRoot: apiRoot,
      rateLimits: { auth: { perMinute: 1e9, burst: 1e9 }, writes: { perMinute: 1e9, burst: 1e9 } },
    },
  });
  return { bot, worker, app, tokens, i18n, logger };
}
