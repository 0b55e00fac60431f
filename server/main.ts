import { randomBytes } from "node:crypto";
import { Server as HttpServer } from "node:http";
import { Server as NetServer } from "node:net";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { Telegram } from "telegraf";
import { createBot, flushUpdateClaims, webhookHandler } from "../bot/create-bot.js";
import { createTelegramDeliverer } from "../bot/delivery/deliverer.js";
import { createTelegramTyping } from "../bot/delivery/typing-indicator.js";
import { createPlatformFeatures, type PlatformFeatures } from "../bot/platform.js";
import { startBot, webhookSecretOf } from "../bot/runtime.js";
import { createDb } from "../drizzle/client.js";
import { postgresDriverPatched } from "../drizzle/postgres-driver-check.js";
import { createTokenService } from "./auth/tokens.js";
import { DAILY_BACKUP_KEY, dailyBackupHandler, scheduleDailyBackup } from "./backup/daily.js";
import type { Config } from "./config.js";
import { ConfigError, loadConfig } from "./config.js";
import { type InstanceLiveness, startInstanceLiveness } from "./domain/bot-state/instance-liveness.js";
import { createContextFactory, settingsFromConfig } from "./domain/build-context.js";
import { seedDefaults } from "./domain/catalog/seed.js";
import { type ChangeNotifier, systemClock } from "./domain/context.js";
import { createCallBudget } from "./domain/delivery/budget.js";
import { allStaffChats } from "./domain/notifications/index.js";
import { needsBusinessHoursRebuild, scheduleBusinessHoursRebuild } from "./domain/reports/business-facts.js";
import { ensureReportRollups } from "./domain/reports/rollups.js";
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
import { scheduledReportHandler } from "./jobs/reports/scheduled-report.js";
import { jobHandlers } from "./jobs/scheduler/handlers.js";
import { createScheduler } from "./jobs/scheduler/worker.js";
import { createLogger, type Logger, logsArePretty } from "./logger.js";
import { createMetrics } from "./metrics/registry.js";
import { seedDemo, skipDemoDeliveries } from "./sandbox/demo.js";
import { prepareSandboxPeople } from "./sandbox/people.js";
import { sandboxRoutes } from "./sandbox/routes.js";
import { createSandboxTelegram } from "./sandbox/world.js";
import {
  databaseOf,
  localUrlOf,
  type RunMode,
  runModeOf,
  SandboxRefused,
  sandboxWanted,
  startBanner,
} from "./start/banner.js";
import { buildMiniAppIfNeeded } from "./start/miniapp-build.js";

/**
 * The one composition root: config → db (+ migrations, seed) → change bus →
 * domain contexts → doors and workers → listen; shutdown runs the same steps in
 * reverse.
 */
async function main(): Promise<void> {
  const loaded = loadConfig();
  const logger = createLogger(loaded);
  // Sandbox mode: the real bot talks to an in-process Telegram stand-in (docs/SANDBOX.md).
  const sandbox = sandboxOn(loaded) ? await createSandboxTelegram() : null;
  const config: Config = sandbox
    ? Object.freeze({
        ...loaded,
        BOT_TOKEN: sandbox.token,
        TELEGRAM_API_ROOT: sandbox.url,
        STAFF_CHAT_ID: String(sandbox.staffChatId),
        PUBLIC_URL: undefined,
        // Its own embedded database, never the real one: the sandbox's people (an owner
        // among them) and demo tickets must not end up in a real helpdesk.
        DATABASE_URL: undefined,
        DATA_DIR: join(loaded.DATA_DIR, "sandbox"),
      })
    : loaded;
  const dbHandle = await createDb(config);
  await dbHandle.migrate();
  await seedDefaults(dbHandle.db);
  await bootstrapOwners(dbHandle.db, config.BOOTSTRAP_ADMIN_IDS, config.DEFAULT_LANGUAGE);
  // The report rollups' days are local days: built again when TIME_ZONE changed.
  if (await ensureReportRollups(dbHandle.db, config.TIME_ZONE))
    logger.info({ timeZone: config.TIME_ZONE }, "report rollups rebuilt for the time zone");
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
  const telegram = config.BOT_TOKEN
    ? new Telegram(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT })
    : null;
  const contextDeps = {
    db: dbHandle.db,
    settings: settingsFromConfig(config),
    notify,
    files,
    // Live chat's "typing…" from the Mini App goes to the other side's private chat at once.
    typing: telegram ? createTelegramTyping(telegram, logger.child({ part: "typing" })) : undefined,
  };
  const contexts = createContextFactory(contextDeps);
  if (sandbox) {
    await prepareSandboxPeople(dbHandle.db, contexts, sandbox.people);
    const started = performance.now();
    const seeded = await seedDemo(dbHandle.db, contexts, sandbox.people).catch((err) => {
      logger.warn({ err }, "could not seed the demo helpdesk; npm run demo:reset starts over");
      return 0;
    });
    if (seeded > 0) {
      await skipDemoDeliveries(dbHandle.db);
      logger.info({ tickets: seeded, ms: Math.round(performance.now() - started) }, "demo helpdesk seeded");
    }
  }
  // The Mini App's API on connections of its own (PostgreSQL): a burst of bot updates
  // fills the shared pool, and each request would queue behind it (DbHandle.apiDb).
  const apiDb = dbHandle.apiDb();
  const apiContexts = apiDb === dbHandle.db ? contexts : createContextFactory({ ...contextDeps, db: apiDb });
  const tokens = createTokenService(apiDb, jwtSecretOf(config, logger));

  const i18n = await createI18n(config.DEFAULT_LANGUAGE);
  let worker: OutboxWorker | null = null;
  let bot: ReturnType<typeof createBot> | null = null;
  let liveness: InstanceLiveness | null = null;
  let platform: PlatformFeatures | undefined;
  if (config.BOT_TOKEN && telegram) {
    // One view of what the Bot API supports for the bot and the deliverer (a failing method turns a feature off).
    platform = createPlatformFeatures(config.BOT_PLATFORM, logger.child({ part: "platform" }));
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
      platform,
    });
    worker = createOutboxWorker({
      db: dbHandle.db,
      claimDb: dbHandle.claimDb(),
      deliver,
      logger: logger.child({ part: "outbox" }),
      metrics: metrics.port,
      onBlocked: (telegramId) =>
        markBotBlocked({ ctx: contexts.forSystem(), input: { telegramId, blocked: true } }),
    });
    // Typing changes nothing the outbox could have to send.
    bus.subscribe((event) => event.type !== "live.typing" && worker?.wake());
    worker.start();
    logger.info("outbox worker started");
    liveness = await startInstanceLiveness(dbHandle);
    bot = createBot({
      liveness,
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
      platform,
    });
  } else {
    logger.warn("BOT_TOKEN is not set: the Telegram bot and notification delivery are off (see README)");
  }

  // Later work (auto-close, SLA warnings and breaches) runs with or without a bot.
  const scheduler = createScheduler({
    db: dbHandle.db,
    clock: systemClock,
    system: () => contexts.forSystem(),
    handlers: {
      ...jobHandlers,
      scheduled_report: scheduledReportHandler({ i18n, logger: logger.child({ part: "reports" }) }),
      ...(config.BACKUP_DIR
        ? {
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
        : {}),
    },
    logger: logger.child({ part: "scheduler" }),
    metrics: metrics.port,
  });
  // Tickets resolved before auto-close existed (or while the setting was 0) get their close.
  await syncAutoCloseJobs(dbHandle.db);
  // Unfinished tickets opened before SLA clocks existed get theirs (a batched walk).
  if (await needsSlaBackfill(dbHandle)) await scheduleSlaRecalc(dbHandle.db, systemClock.now());
  // Business seconds not built for the calendars there are (after the migration, a hand edit).
  if (await needsBusinessHoursRebuild(dbHandle.db))
    await scheduleBusinessHoursRebuild(dbHandle.db, systemClock.now());
  if (config.BACKUP_DIR) await scheduleDailyBackup(dbHandle.db, systemClock.now(), config.BACKUP_HOUR_UTC);
  else await cancelJob(dbHandle.db, DAILY_BACKUP_KEY);
  scheduler.start();

  await buildMiniAppIfNeeded(logger, miniAppDist);
  // Aborted at shutdown: open event streams end, so closing the server waits only for real requests.
  const closing = new AbortController();
  const webhook =
    bot && config.BOT_TOKEN && config.PUBLIC_URL
      ? webhookHandler(bot, webhookSecretOf(config.BOT_TOKEN, config.WEBHOOK_SECRET), logger)
      : undefined;
  const app = createApp({
    db: apiDb,
    i18n,
    logger,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    metrics: { metrics, token: config.METRICS_TOKEN },
    api: {
      contexts: apiContexts,
      tokens,
      changes: bus,
      botToken: config.BOT_TOKEN,
      initDataMaxAgeS: config.INITDATA_MAX_AGE_S,
      telegramApiRoot: config.TELEGRAM_API_ROOT,
      trustProxy: config.TRUST_PROXY,
      closing: closing.signal,
    },
    sandbox: sandbox ? sandboxRoutes(sandbox) : undefined,
    telegramWebhook: webhook,
  });
  const mode = runModeOf(config, sandbox !== null);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info({ port: info.port }, "http server listening");
    announceStart(config, logger, mode, info.port);
  });
  // A reverse proxy keeps its connections to us open and sends more requests on them
  // after we stop listening: from the shutdown on, each answer closes its connection,
  // so the proxy opens a new one (to another instance) and close() can finish.
  server.on("request", (_req: unknown, res: { setHeader(name: string, value: string): void }) => {
    if (closing.signal.aborted) res.setHeader("connection", "close");
  });
  // Idle connections are closed by the side whose timer runs out first; when that is
  // us, a proxy may be sending a request on the connection at that moment and gets a
  // reset (a 502 for a POST, which it does not retry). Longer than nginx's (60 s) and
  // Caddy's (120 s) idle upstream timeouts, so the proxy closes them (deploy:check).
  if (server instanceof HttpServer) server.keepAliveTimeout = 130_000;

  const botRuntime = bot
    ? await startBot(bot, i18n, logger, {
        publicUrl: config.PUBLIC_URL,
        webhookSecret: config.BOT_TOKEN
          ? webhookSecretOf(config.BOT_TOKEN, config.WEBHOOK_SECRET)
          : undefined,
        defaultLanguage: config.DEFAULT_LANGUAGE,
        platform,
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
    closing.abort();
    await closeGently(server);
    // Updates still being handled whose request is gone (the proxy gave up): finished, not cut off.
    await webhook?.settled();
    if (bot) await flushUpdateClaims(bot);
    await worker?.stop();
    await scheduler.stop();
    await relay?.close();
    await liveness?.close();
    await dbHandle.close();
    await sandbox?.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/**
 * Stops listening, then leaves the proxy's idle keep-alive connections open for a
 * moment: a request sent on one is answered (with Connection: close) instead of
 * meeting a reset, as with http.Server's close(), which closes idle connections at
 * once. Then idle ones are closed. Resolves when every connection has ended.
 */
async function closeGently(server: ServerType): Promise<void> {
  if (!(server instanceof HttpServer)) return new Promise((resolve) => server.close(() => resolve()));
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  // Again and again: a request answered before the shutdown began left its connection keep-alive.
  let idle: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    idle = setInterval(() => server.closeIdleConnections(), 250);
    server.closeIdleConnections();
  }, 1500);
  await closed;
  clearTimeout(first);
  clearInterval(idle);
}

/** Whether to run the sandbox; its refusals (production, a token with SANDBOX=on) stop the start. */
function sandboxOn(config: Config): boolean {
  try {
    return sandboxWanted(config);
  } catch (err) {
    if (err instanceof SandboxRefused) throw new ConfigError(err.message);
    throw err;
  }
}

/**
 * The banner after start: readable lines on a terminal; in JSON logs, one record with
 * the same facts (a log collector reads JSON only).
 */
function announceStart(config: Config, logger: Logger, mode: RunMode, port: number): void {
  if (logsArePretty(config, process.stdout.isTTY === true)) {
    process.stdout.write(`${startBanner(config, { mode, port })}\n`);
  } else {
    logger.info({ mode, database: databaseOf(config), url: localUrlOf(config, port) }, "ready");
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
