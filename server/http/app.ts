import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { i18n } from "i18next";
import type { Db } from "../../drizzle/client.js";
import type { Language } from "../../drizzle/schema/index.js";
import type { Logger } from "../logger.js";
import { errorHandler } from "./errors.js";

export interface AppDeps {
  db: Db;
  i18n: i18n;
  logger: Logger;
  defaultLanguage: Language;
  /** The bot's webhook handler (webhook mode); it checks Telegram's secret token itself. */
  telegramWebhook?: (request: Request) => Promise<Response>;
}

/** The HTTP door: health, then one sub-app per resource (mounted as they are built). */
export function createApp(deps: AppDeps) {
  const app = new Hono().use(requestId()).get("/healthz", async (c) => {
    const started = performance.now();
    try {
      await deps.db.execute(sql`select 1`);
      return c.json({ status: "ok", database: "ok", dbLatencyMs: Math.round(performance.now() - started) });
    } catch (err) {
      deps.logger.error({ err }, "health check: database unreachable");
      return c.json({ status: "error", database: "unreachable" }, 503);
    }
  });
  if (deps.telegramWebhook) {
    const handle = deps.telegramWebhook;
    app.post("/telegram/webhook", (c) => handle(c.req.raw));
  }
  app.onError(errorHandler(deps));
  app.notFound((c) => c.json({ code: "NOT_FOUND", message: "Not found" }, 404));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
