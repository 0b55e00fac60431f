import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { pino } from "pino";
import { type Browser, chromium, type Page } from "playwright-core";
import { createDb, type DbHandle } from "../../drizzle/client.js";
import { users } from "../../drizzle/schema/index.js";
import { createTokenService } from "../../server/auth/tokens.js";
import { createContextFactory } from "../../server/domain/build-context.js";
import { seedDefaults } from "../../server/domain/catalog/seed.js";
import type { FileStore, TypingIndicator } from "../../server/domain/context.js";
import { createChangeBus } from "../../server/events/bus.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { createApp } from "../../server/http/app.js";
import { createI18n } from "../../server/i18n.js";
import { initDataUser, signInitData } from "./init-data.js";

/**
 * The Mini App in a real browser, shared by the browser test files: a production
 * build, a migrated and seeded in-memory database, the server on a free port and
 * a headless Chromium. Each file starts its own, so files stay independent.
 */

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
// CI is never green without the browser tests: there a missing browser fails the run.
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must run the browser tests`);
if (!hasChromium)
  console.warn(
    "⚠ Mini App browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium)",
  );

export const BOT_TOKEN = "123456:TEST-token-for-the-browser-tests";
/** Screenshots go here (git-ignored). */
export const artifacts = join(import.meta.dirname, "../.artifacts");

export type Theme = Record<string, string>;
export const LIGHT: Theme = {
  bg_color: "#ffffff",
  text_color: "#000000",
  hint_color: "#707579",
  button_color: "#3390ec",
  button_text_color: "#ffffff",
  secondary_bg_color: "#f4f4f5",
};
export const DARK: Theme = {
  bg_color: "#17212b",
  text_color: "#f5f5f5",
  hint_color: "#708499",
  button_color: "#5288c1",
  button_text_color: "#ffffff",
  secondary_bg_color: "#232e3c",
};

export interface MiniAppBrowser {
  db: DbHandle;
  contexts: ReturnType<typeof createContextFactory>;
  files: FileStore;
  browser: Browser;
  /** The server's address, e.g. http://127.0.0.1:41234 */
  base: string;
  /** Moves the server's clock on (e.g. to let the browser's access token expire); 0 puts it back. */
  shiftClock(ms: number): void;
  /**
   * Opens the Mini App the way Telegram does: launch parameters in the URL hash.
   * Signs in once to create the user, gives them `role`, then opens it again.
   */
  openAs(telegramId: number, lang: string, theme: Theme, role: string, startParam?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startMiniAppBrowser(
  opts: {
    /** Live chat's "typing…" to Telegram (e.g. the real one against a fake Bot API); unset: none. */
    typing?: TypingIndicator;
    /** A fixed port (scripts/bench-miniapp.ts, scripts/screenshots.ts); tests take any free one. */
    port?: number;
  } = {},
): Promise<MiniAppBrowser> {
  mkdirSync(artifacts, { recursive: true });
  // A production build into a folder of the test's own, so the real miniapp/dist is left alone
  // (vitest sets NODE_ENV=test, which would otherwise give React's development build).
  // A fresh folder per call: two browser test files may build at the same time.
  const distDir = mkdtempSync(join(tmpdir(), "helpdesk-miniapp-e2e-"));
  const { build } = await import("vite");
  const previousEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: join(import.meta.dirname, "../../miniapp/vite.config.ts"),
      logLevel: "error",
      build: { outDir: distDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = previousEnv;
  }
  const db = await createDb({ DATA_DIR: "", inMemory: true });
  await db.migrate();
  await seedDefaults(db.db);
  const bus = createChangeBus();
  const filesDir = mkdtempSync(join(tmpdir(), "helpdesk-e2e-files-"));
  const files = createLocalFileStore(filesDir);
  const contexts = createContextFactory({
    db: db.db,
    notify: bus,
    files,
    typing: opts.typing,
    settings: { timeZone: "Asia/Tehran", staffChatId: null, maxFileBytes: 10 << 20 },
  });
  let clockShiftMs = 0;
  const app = createApp({
    miniAppDist: distDir,
    db: db.db,
    i18n: await createI18n("fa"),
    logger: pino({ level: "silent" }),
    defaultLanguage: "fa",
    api: {
      contexts,
      tokens: createTokenService(
        db.db,
        "browser-test-secret-that-is-long-enough-123",
        () => new Date(Date.now() + clockShiftMs),
      ),
      changes: bus,
      botToken: BOT_TOKEN,
      initDataMaxAgeS: 3600,
      telegramApiRoot: "http://127.0.0.1:9",
      // These tests sign the same few people in again and again within seconds, faster
      // than anyone would; the production limits (tests/http cover them) refused the
      // sixth sign-in of a minute when the machine ran the file quickly.
      rateLimits: { auth: { perMinute: 6000, burst: 1000 }, authPerUser: { perMinute: 6000, burst: 1000 } },
    },
  });
  let server: ReturnType<typeof serve> | undefined;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: "127.0.0.1" }, () => resolve());
  });
  const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

  async function openAs(
    telegramId: number,
    lang: string,
    theme: Theme,
    role: string,
    startParam?: string,
  ): Promise<Page> {
    const initData = signInitData({ user: initDataUser(telegramId, lang) }, BOT_TOKEN);
    const page = await browser.newPage({ viewport: { width: 400, height: 800 } });
    const hash = new URLSearchParams({
      tgWebAppData: initData,
      tgWebAppVersion: "8.0",
      tgWebAppPlatform: "tdesktop",
      tgWebAppThemeParams: JSON.stringify(theme),
      ...(startParam ? { tgWebAppStartParam: startParam } : {}),
    });
    await page.goto(`${base}/#${hash}`);
    await page.waitForSelector(".nav, .error, .hint");
    await db.db
      .update(users)
      .set({ role: role as "agent" })
      .where(eq(users.telegramId, telegramId));
    await page.goto(`${base}/?r=${Date.now()}#${hash}`);
    await page.waitForSelector(".nav");
    return page;
  }

  return {
    db,
    contexts,
    files,
    browser,
    base,
    shiftClock: (ms) => {
      clockShiftMs = ms;
    },
    openAs,
    close: async () => {
      await browser.close();
      server?.close();
      await db.close();
      rmSync(distDir, { recursive: true, force: true });
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
