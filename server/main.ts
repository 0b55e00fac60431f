import { serve } from "@hono/node-server";
import { createDb } from "../drizzle/client.js";
import { ConfigError, loadConfig } from "./config.js";
import { seedDefaults } from "./domain/catalog/seed.js";
import { bootstrapOwners } from "./domain/users/upsert.js";
import { createApp } from "./http/app.js";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";

/**
 * The one composition root: config → db (+ migrations, seed) → domain → doors →
 * listen; shutdown runs the same steps in reverse.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const dbHandle = await createDb(config);
  await dbHandle.migrate();
  await seedDefaults(dbHandle.db);
  await bootstrapOwners(dbHandle.db, config.BOOTSTRAP_ADMIN_IDS, config.DEFAULT_LANGUAGE);
  logger.info({ driver: dbHandle.driver }, "database ready");

  const i18n = await createI18n(config.DEFAULT_LANGUAGE);
  const app = createApp({ db: dbHandle.db, i18n, logger, defaultLanguage: config.DEFAULT_LANGUAGE });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
    logger.info({ port: info.port }, "http server listening"),
  );
  if (!config.BOT_TOKEN) logger.warn("BOT_TOKEN is not set: the Telegram bot is off (see README)");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dbHandle.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error("Failed to start:", err);
  }
  process.exit(1);
});
