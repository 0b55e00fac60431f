import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { Telegram } from "telegraf";
import { createBot, flushUpdateClaims, webhookHandler } from "../bot/create-bot.js";
import { createTelegramDeliverer } from "../bot/delivery/deliverer.js";
import { startBot, webhookSecretOf } from "../bot/runtime.js";
import { createDb } from "../drizzle/client.js";
import { postgresDriverPatched } from "../drizzle/postgres-driver-check.js";
import { createTokenService } from "./auth/tokens.js";
import { DAILY_BACKUP_KEY, dailyBackupHandler, scheduleDailyBackup } from "./backup/daily.js";
import type { Config } from "./config.js";
import { ConfigError, loadConfig } from "./config.js";
import { createContextFactory, settingsFromConfig } from "./domain/build-context.js";
import { seedDefaults } from "./domain/catalog/seed.js";
import { type ChangeNotifier, systemClock } from "./domain/context.js";
import { createCallBudget } from "./domain/delivery/budget.js";
import { allStaffChats } from "./domain/notifications/index.js";
import { cancelJob, syncAutoCloseJobs } from "./domain/schedule/index.js";
import { needsSlaBackfill, scheduleSlaRecalc } from "./domain/sla/index.js";
import { markBotBlocked } from "./domain/users/reachability.js";
import { bootstrapOwners } from "./domain/users/upsert.js";
import { createChangeBus } from "./events/bus.js";
import { relayChangesThroughPostgres } from "./events/pg-relay.js";
import { createLocalFileStore } from "./files/local-store.js";
import { createApp } from "./http/app.js";
import { miniAppDist } from "./http/static.js";
import { createI18n } from "./i18n.js";
import { createOutboxWorker, type OutboxWorker } from "./jobs/outbox/worker.js";
import { jobHandlers } from "./jobs/scheduler/handlers.js";
import { createScheduler } from "./jobs/scheduler/worker.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics } from "./metrics/registry.js";

/**
 * The one composition root: config → db (+ migrations, seed) → change bus →
 * domain contexts → doors and workers → listen; shutdown runs the same steps in
 * reverse.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const dbHandle = await createDb(config);
  await dbHandle.migrate();
  await seedDefaults(dbHandle.db);
  await bootstrapOwners(dbHandle.db, config.BOOTSTRAP_ADMIN_IDS, config.DEFAULT_LANGUAGE);
  logger.info({ driver: dbHandle.driver }, "database ready");
  if (dbHandle.driver === "postgres" && !postgresDriverPatched()) {
    logger.warn(
      "postgres.js is missing its closed-socket fix (installed with --ignore-scripts?): a dropped database connection can stop the server. Run: node scripts/patch-postgres.mjs",
    );
  }

  const metrics = createMetrics({ db: dbHandle.db, driver: dbHandle.driver, processMetrics: true });
  const bus = createChangeBus((err) => logger.error({ err }, "change listener failed"));
  const relay = dbHandle.sql ? await relayChangesThroughPostgres(dbHandle.sql, bus, logger) : null;
  const notify: ChangeNotifier = relay ?? bus;
  const files = createLocalFileStore(config.DATA_DIR);
  const contexts = createContextFactory({
    db: dbHandle.db,
    settings: settingsFromConfig(config),
    notify,
    files,
  });
  const tokens = createTokenService(dbHandle.db, jwtSecretOf(config, logger));

  const i18n = await createI18n(config.DEFAULT_LANGUAGE);
  let worker: OutboxWorker | null = null;
  let bot: ReturnType<typeof createBot> | null = null;
  if (config.BOT_TOKEN) {
    const telegram = new Telegram(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
    // One budget for every Bot API call (outbox posts and the bot's answers), shared by all instances.
    const callBudget = createCallBudget(dbHandle.db);
    const deliver = createTelegramDeliverer({
      budget: callBudget,
      timeZone: config.TIME_ZONE,
      db: dbHandle.db,
      i18n,
      telegram,
      staffLanguage: config.DEFAULT_LANGUAGE,
      publicUrl: config.PUBLIC_URL,
      files,
    });
    worker = createOutboxWorker({
      db: dbHandle.db,
      deliver,
      logger: logger.child({ part: "outbox" }),
      metrics: metrics.port,
      onBlocked: (telegramId) =>
        markBotBlocked({ ctx: contexts.forSystem(), input: { telegramId, blocked: true } }),
    });
    bus.subscribe(() => worker?.wake());
    worker.start();
    logger.info("outbox worker started");
    bot = createBot({
      token: config.BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      db: dbHandle.db,
      i18n,
      logger: logger.child({ part: "bot" }),
      contexts,
      defaultLanguage: config.DEFAULT_LANGUAGE,
      publicUrl: config.PUBLIC_URL,
      staffChatId: config.STAFF_CHAT_ID ? Number(config.STAFF_CHAT_ID) : null,
      callBudget,
      metrics: metrics.port,
    });
  } else {
    logger.warn("BOT_TOKEN is not set: the Telegram bot and notification delivery are off (see README)");
  }

  // Later work (auto-close, SLA warnings and breaches) runs with or without a bot.
  const scheduler = createScheduler({
    db: dbHandle.db,
    clock: systemClock,
    system: () => contexts.forSystem(),
    handlers: config.BACKUP_DIR
      ? {
          ...jobHandlers,
          backup: dailyBackupHandler({
            handle: dbHandle,
            dir: config.BACKUP_DIR,
            keep: config.BACKUP_KEEP,
            hourUtc: config.BACKUP_HOUR_UTC,
            dataDir: config.DATA_DIR,
            databaseUrl: config.DATABASE_URL,
            logger: logger.child({ part: "backup" }),
          }),
        }
      : jobHandlers,
    logger: logger.child({ part: "scheduler" }),
    metrics: metrics.port,
  });
  // Tickets resolved before auto-close existed (or while the setting was 0) get their close.
  await syncAutoCloseJobs(dbHandle.db);
  // Unfinished tickets opened before SLA clocks existed get theirs (a batched walk).
  if (await needsSlaBackfill(dbHandle)) await scheduleSlaRecalc(dbHandle.db, systemClock.now());
  if (config.BACKUP_DIR) await scheduleDailyBackup(dbHandle.db, systemClock.now(), config.BACKUP_HOUR_UTC);
  else await cancelJob(dbHandle.db, DAILY_BACKUP_KEY);
  scheduler.start();

  await buildMiniAppIfMissing(logger);
  const app = createApp({
    db: dbHandle.db,
    i18n,
    logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    metrics: { metrics, token: config.METRICS_TOKEN },
    api: {
      contexts,
      tokens,
      changes: bus,
      botToken: config.BOT_TOKEN,
      initDataMaxAgeS: config.INITDATA_MAX_AGE_S,
      telegramApiRoot: config.TELEGRAM_API_ROOT,
      trustProxy: config.TRUST_PROXY,
    },
    telegramWebhook:
      bot && config.BOT_TOKEN && config.PUBLIC_URL
        ? webhookHandler(bot, webhookSecretOf(config.BOT_TOKEN, config.WEBHOOK_SECRET), logger)
        : undefined,
  });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
    logger.info({ port: info.port }, "http server listening"),
  );

  const botRuntime = bot
    ? await startBot(bot, i18n, logger, {
        publicUrl: config.PUBLIC_URL,
        webhookSecret: config.BOT_TOKEN
          ? webhookSecretOf(config.BOT_TOKEN, config.WEBHOOK_SECRET)
          : undefined,
        defaultLanguage: config.DEFAULT_LANGUAGE,
        staffChatIds: await allStaffChats(
          dbHandle.db,
          config.STAFF_CHAT_ID ? Number(config.STAFF_CHAT_ID) : null,
        ),
        db: dbHandle.db,
      }).catch((err) => {
        logger.error(
          { err },
          "could not connect the bot to Telegram; check BOT_TOKEN and run npm run doctor",
        );
        return null;
      })
    : null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await botRuntime?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (bot) await flushUpdateClaims(bot);
    await worker?.stop();
    await scheduler.stop();
    await relay?.close();
    await dbHandle.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/**
 * `npm start` on a fresh clone has no built Mini App yet: build it once (a few
 * seconds). Without Vite (a production install without dev dependencies) the API
 * still runs and the log says how to build.
 */
async function buildMiniAppIfMissing(logger: Logger): Promise<void> {
  if (existsSync(`${miniAppDist}/index.html`)) return;
  try {
    logger.info("building the Mini App (first start)…");
    const { build } = await import("vite");
    await build({
      configFile: fileURLToPath(new URL("../miniapp/vite.config.ts", import.meta.url)),
      logLevel: "warn",
    });
    logger.info("Mini App built");
  } catch (err) {
    logger.warn({ err }, "could not build the Mini App; run npm run build");
  }
}

/**
 * The access-token key. Production must set JWT_SECRET (tokens survive restarts
 * and are shared by instances); elsewhere a random key per process is fine.
 */
function jwtSecretOf(config: Config, logger: Logger): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.NODE_ENV === "production")
    throw new ConfigError("JWT_SECRET: required when NODE_ENV=production (at least 32 characters)");
  logger.warn("JWT_SECRET is not set: using a random key; Mini App sessions end at restart");
  return randomBytes(32).toString("hex");
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error("Failed to start:", err);
  }
  process.exit(1);
});
