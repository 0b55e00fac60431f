import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { i18n } from "i18next";
import type { Db } from "../../drizzle/client.js";
import { firstInLine } from "../../drizzle/first-in-line.js";
import type { Language } from "../../drizzle/schema/index.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/registry.js";
import { type ApiDeps, DEFAULT_RATE_LIMITS, type HttpEnv } from "./env.js";
import { errorHandler } from "./errors.js";
import { requireUser } from "./middleware/auth.js";
import { httpMetrics, metricsHandler } from "./middleware/metrics.js";
import { limitPerAddress, limitPerUser, writesOnly } from "./middleware/rate-limit.js";
import { assignmentPolicyRoutes } from "./routes/assignment.js";
import { auditRoutes } from "./routes/audit.js";
import { authRoutes } from "./routes/auth.js";
import { automationRuleRoutes } from "./routes/automation.js";
import { cannedReplyRoutes } from "./routes/canned.js";
import { branchRoutes, categoryRoutes, labelRoutes, settingsRoutes } from "./routes/catalog.js";
import { eventRoutes } from "./routes/events.js";
import { fileRoutes } from "./routes/files.js";
import { liveRoutes, presenceRoutes } from "./routes/live.js";
import { metaRoutes, notificationRoutes } from "./routes/meta.js";
import { userModerationRoutes } from "./routes/moderation.js";
import { openApiDocument } from "./routes/openapi.js";
import { reportRoutes } from "./routes/reports.js";
import { scheduledReportRoutes } from "./routes/scheduled-reports.js";
import { businessCalendarRoutes, slaPolicyRoutes } from "./routes/sla.js";
import { ticketRoutes } from "./routes/tickets.js";
import { userRoutes } from "./routes/users.js";
import { serveMiniApp } from "./static.js";

export interface AppDeps {
  db: Db;
  i18n: i18n;
  logger: Logger;
  defaultLanguage: Language;
  /** The API (absent in set-ups that only need health and the webhook). */
  api?: Omit<ApiDeps, "db" | "i18n" | "logger" | "defaultLanguage">;
  /** The bot's webhook handler (webhook mode); it checks Telegram's secret token itself. */
  telegramWebhook?: (request: Request) => Promise<Response>;
  /** The sandbox page and its API at /sandbox (sandbox mode only, docs/SANDBOX.md). */
  sandbox?: Hono;
  /** Serve the built Mini App at / (default: when miniapp/dist exists). */
  miniAppDist?: string | false;
  /** GET /metrics and the request counters (docs/OPERATIONS.md); its token is METRICS_TOKEN. */
  metrics?: { metrics: Metrics; token?: string };
}

/** The HTTP door: health, the bot's webhook, and the API, one sub-app per resource. */
export function createApp(deps: AppDeps) {
  const app = new Hono<HttpEnv>();
  // First, so that it times every request, the webhook's too; it adds no header.
  if (deps.metrics) app.use(httpMetrics(deps.metrics.metrics.port));
  // Before the request-id middleware: Telegram reads the answer's status and body (a
  // call, bot/webhook-answer.ts), no headers of ours, and this route takes every update.
  if (deps.telegramWebhook) {
    const handle = deps.telegramWebhook;
    app.post("/telegram/webhook", (c) => handle(c.req.raw));
  }
  app.use(requestId());
  // A person waits on these: on PGlite their statements go before queued background work.
  app.use("/api/*", (_c, next) => firstInLine(next));
  app.get("/healthz", async (c) => {
    const started = performance.now();
    try {
      await deps.db.execute(sql`select 1`);
      return c.json({ status: "ok", database: "ok", dbLatencyMs: Math.round(performance.now() - started) });
    } catch (err) {
      deps.logger.error({ err }, "health check: database unreachable");
      return c.json({ status: "error", database: "unreachable" }, 503);
    }
  });
  if (deps.metrics) app.get("/metrics", metricsHandler(deps.metrics.metrics, deps.metrics.token));
  if (deps.api) {
    const api: ApiDeps = {
      metrics: deps.metrics?.metrics.port,
      ...deps.api,
      db: deps.db,
      i18n: deps.i18n,
      logger: deps.logger,
      defaultLanguage: deps.defaultLanguage,
    };
    // Built once: it is public, and generating JSON schemas on every request would be waste.
    let openApi: ReturnType<typeof openApiDocument> | undefined;
    app.get("/api/openapi.json", (c) => {
      openApi ??= openApiDocument();
      return c.json(openApi);
    });
    app.route("/api/auth", authRoutes(api));
    app.use("/api/*", async (c, next) =>
      c.req.path.startsWith("/api/auth/") ? next() : requireUser(api)(c, next),
    );
    const limits = { ...DEFAULT_RATE_LIMITS, ...api.rateLimits };
    app.use(
      "/api/*",
      writesOnly(
        limitPerAddress(api.db, "writes-address", limits.writesPerAddress, api.trustProxy),
        limitPerUser(api.db, "writes", limits.writes),
      ),
    );
    app.route("/api", apiRoutes(api));
  }
  if (deps.sandbox) app.route("/sandbox", deps.sandbox);
  const miniApp = deps.miniAppDist === false ? null : serveMiniApp(deps.miniAppDist);
  if (miniApp) app.use("*", miniApp);
  app.onError(errorHandler(deps));
  app.notFound((c) => c.json({ code: "NOT_FOUND", message: "Not found" }, 404));
  return app;
}

/**
 * The signed-in resources, chained so that their types carry every route (AppType,
 * for a typed client such as hono/client's hc). Auth and limits are applied by createApp.
 */
function apiRoutes(api: ApiDeps) {
  return new Hono<HttpEnv>()
    .route("/tickets", ticketRoutes(api))
    .route("/users", userModerationRoutes())
    .route("/users", userRoutes())
    .route("/branches", branchRoutes())
    .route("/categories", categoryRoutes())
    .route("/labels", labelRoutes())
    .route("/settings", settingsRoutes())
    .route("/sla-policies", slaPolicyRoutes())
    .route("/canned-replies", cannedReplyRoutes())
    .route("/business-calendars", businessCalendarRoutes())
    .route("/automation-rules", automationRuleRoutes())
    .route("/assignment-policies", assignmentPolicyRoutes())
    .route("/meta", metaRoutes())
    .route("/notifications", notificationRoutes())
    .route("/reports", reportRoutes(api))
    .route("/scheduled-reports", scheduledReportRoutes())
    .route("/audit", auditRoutes(api))
    .route("/files", fileRoutes(api))
    .route("/events", eventRoutes(api))
    .route("/presence", presenceRoutes())
    .route("/live", liveRoutes());
}

/** The API's routes with their inputs and outputs, under /api (auth routes under /api/auth). */
export type AppType = ReturnType<typeof apiRoutes>;
export type AuthType = ReturnType<typeof authRoutes>;
