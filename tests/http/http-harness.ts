import { pino } from "pino";
import { beforeAll } from "vitest";
import { createTokenService } from "../../server/auth/tokens.js";
import { createContextFactory } from "../../server/domain/build-context.js";
import type { TypingIndicator } from "../../server/domain/context.js";
import { createChangeBus } from "../../server/events/bus.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { type AppDeps, createApp } from "../../server/http/app.js";
import type { ApiDeps } from "../../server/http/env.js";
import { createI18n } from "../../server/i18n.js";
import type { World } from "../helpers/fixtures.js";
import { initDataUser, signInitData } from "../helpers/init-data.js";

export const BOT_TOKEN = "123456:TEST-token-for-the-mini-app-tests";

export interface ApiWorld {
  app: ReturnType<typeof createApp>;
  bus: ReturnType<typeof createChangeBus>;
  /** Signs in through initData as the Telegram user with this id. */
  login(
    telegramId: number,
    lang?: string,
  ): Promise<{ accessToken: string; refreshToken: string; user: { id: string } }>;
  call(token: string, method: string, path: string, body?: unknown): Promise<Response>;
}

/** The HTTP app wired to the test database, as main.ts wires it. */
export function setupApi(
  world: () => World,
  opts: {
    dataDir?: string;
    rateLimits?: ApiDeps["rateLimits"];
    telegramApiRoot?: () => string;
    sseHeartbeatMs?: number;
    /** Aborted when the process shuts down (tests/http/events-shutdown.test.ts). */
    closing?: AbortSignal;
    /** GET /metrics and the counters (tests/http/metrics.test.ts). */
    metrics?: AppDeps["metrics"];
    /** Live chat's "typing…" to Telegram (tests/http/live-typing.test.ts). */
    typing?: TypingIndicator;
  } = {},
): () => ApiWorld {
  const dataDir = opts.dataDir ?? "/tmp/helpdesk-http-test";
  // Every test request comes from one address: limits are raised unless a test sets them.
  const unlimited = { perMinute: 10_000, burst: 10_000 };
  const rateLimits = {
    auth: unlimited,
    authPerUser: unlimited,
    writes: unlimited,
    writesPerAddress: unlimited,
    ...opts.rateLimits,
  };
  let api: ApiWorld | undefined;
  beforeAll(async () => {
    const w = world();
    const bus = createChangeBus();
    const contexts = createContextFactory({
      db: w.db,
      clock: w.clock,
      notify: bus,
      files: createLocalFileStore(dataDir),
      typing: opts.typing,
      settings: { timeZone: "Asia/Tehran", staffChatId: null, maxFileBytes: 1024 * 1024 },
    });
    const app = createApp({
      db: w.db,
      i18n: await createI18n("fa"),
      logger: pino({ level: "silent" }),
      defaultLanguage: "fa",
      metrics: opts.metrics,
      api: {
        contexts,
        tokens: createTokenService(w.db, "a-test-secret-that-is-long-enough-1234567890"),
        changes: bus,
        botToken: BOT_TOKEN,
        initDataMaxAgeS: 3600,
        telegramApiRoot: opts.telegramApiRoot?.() ?? "http://127.0.0.1:9",
        rateLimits,
        sseHeartbeatMs: opts.sseHeartbeatMs,
        closing: opts.closing,
      },
    });
    const call = async (token: string, method: string, path: string, body?: unknown) =>
      app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    api = {
      app,
      bus,
      call,
      async login(telegramId, lang = "en") {
        const res = await app.request("/api/auth/telegram", {
          method: "POST",
          headers: {
            authorization: `tma ${signInitData({ user: initDataUser(telegramId, lang) }, BOT_TOKEN)}`,
          },
        });
        if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
        return res.json();
      },
    };
  });
  return () => {
    if (!api) throw new Error("the API exists only inside tests");
    return api;
  };
}
