import type { i18n } from "i18next";
import type { Db } from "../../drizzle/client.js";
import type { Language, User } from "../../drizzle/schema/index.js";
import type { TokenService } from "../auth/tokens.js";
import type { ContextFactory } from "../domain/build-context.js";
import type { ServiceContext } from "../domain/context.js";
import type { MetricsPort } from "../domain/metrics-port.js";
import type { ChangeBus } from "../events/bus.js";
import type { Logger } from "../logger.js";

/** Per-request values set by the middlewares. */
export interface HttpEnv {
  Variables: {
    requestId: string;
    language: Language;
    user: User;
    svc: ServiceContext;
  };
}

/** What the API routes need, built once by the composition root. */
export interface ApiDeps {
  db: Db;
  i18n: i18n;
  logger: Logger;
  contexts: ContextFactory;
  tokens: TokenService;
  changes: ChangeBus;
  botToken: string | undefined;
  initDataMaxAgeS: number;
  defaultLanguage: Language;
  telegramApiRoot: string;
  /** Requests per minute and burst (defaults in DEFAULT_RATE_LIMITS). */
  rateLimits?: RateLimits;
  /** Trust the last X-Forwarded-For entry (one reverse proxy in front); else the socket address. */
  trustProxy?: boolean;
  /** How often an idle event stream pings and re-checks its token and account (default 25 s). */
  sseHeartbeatMs?: number;
  /**
   * Aborted when the process begins to shut down: open event streams end then, or the
   * HTTP server's close would wait on them (they never end by themselves) until the
   * forced exit. The Mini App reconnects to another instance.
   */
  closing?: AbortSignal;
  /** Counts open event streams (GET /metrics). */
  metrics?: MetricsPort;
}

export interface RateLimitSpec {
  perMinute: number;
  burst: number;
}

/**
 * Sign-in is limited per address and per Telegram account; writes per user and
 * per address. The per-address write limit is the looser one: a branch office's
 * whole staff may sit behind one address.
 */
export interface RateLimits {
  /** POST /api/auth/* per client address. */
  auth?: RateLimitSpec;
  /** Sign-ins per Telegram account (counted once initData is verified). */
  authPerUser?: RateLimitSpec;
  /** Changing /api requests per signed-in user. */
  writes?: RateLimitSpec;
  /** Changing /api requests per client address. */
  writesPerAddress?: RateLimitSpec;
}

export const DEFAULT_RATE_LIMITS: Required<RateLimits> = {
  auth: { perMinute: 30, burst: 10 },
  authPerUser: { perMinute: 10, burst: 5 },
  writes: { perMinute: 120, burst: 30 },
  writesPerAddress: { perMinute: 600, burst: 120 },
};
