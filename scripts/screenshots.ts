/**
 * `npm run screenshots`: the Mini App's main screens (queue, ticket, dashboard, reports,
 * settings) in Persian and English, light and dark, at 390 px, into docs/screenshots/
 * (`<screen>-<lang>-<theme>.png`). A production build on an in-memory database seeded
 * with the sandbox's demo helpdesk (server/sandbox/demo.ts: branches, staff, ~40
 * tickets in fa, en and ru with replies and notes), seen by its moderator, in headless
 * Chromium (/usr/bin/chromium). `--port` (default 4161). JPEG would be smaller, but
 * PNG keeps Persian text sharp; the pictures are of the first screenful only.
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { SANDBOX_PEOPLE } from "../server/sandbox/cast.js";
import { seedDemo } from "../server/sandbox/demo.js";
import { prepareSandboxPeople } from "../server/sandbox/people.js";
import { DARK, LIGHT, startMiniAppBrowser } from "../tests/helpers/miniapp-browser.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "docs/screenshots");
const portArg = process.argv.indexOf("--port");
const PORT = portArg > 0 ? Number(process.argv[portArg + 1]) : 4161;
const MODERATOR = SANDBOX_PEOPLE.find((p) => p.role === "moderator")!;

mkdirSync(out, { recursive: true });
const app = await startMiniAppBrowser({ port: PORT });
try {
  await prepareSandboxPeople(app.db.db, app.contexts, SANDBOX_PEOPLE);
  const made = await seedDemo(app.db.db, app.contexts, SANDBOX_PEOPLE);
  console.log(`demo seeded: ${made} tickets`);
  for (const lang of ["fa", "en"] as const) {
    for (const [themeName, theme] of [
      ["light", LIGHT],
      ["dark", DARK],
    ] as const) {
      const page = await app.openAs(MODERATOR.id, lang, theme, "moderator");
      await page.setViewportSize({ width: 390, height: 844 });
      const shot = async (screen: string) => {
        // Fonts and the last lazy chunk settle before the picture.
        await page.evaluate(() => document.fonts.ready);
        await page.waitForTimeout(300);
        const path = join(out, `${screen}-${lang}-${themeName}.png`);
        await page.screenshot({ path });
        console.log(`${path}  ${(statSync(path).size / 1024).toFixed(0)} KiB`);
      };
      await page.click('[data-view="all"]');
      await page.waitForSelector(".queue-row .row-snippet");
      await shot("queue");
      await page.locator(".queue-row").first().click();
      await page.waitForSelector(".ticket-screen .bubble, .ticket-screen .thread");
      await shot("ticket");
      await nav(page, 1);
      await page.waitForSelector(".page .row, .page .bar, .page h2");
      await shot("dashboard");
      await nav(page, 3);
      await page.waitForSelector(".page h2, .page h1");
      await page.waitForLoadState("networkidle");
      await shot("reports");
      await page.locator(".nav button").last().click();
      await page.waitForSelector(".page select, .page input");
      await shot("settings");
      await page.close();
    }
  }
} finally {
  await app.close();
}

/** The nav bar's buttons: queue, dashboard, live, reports, admin, settings (staff). */
async function nav(page: Page, index: number) {
  await page.locator(".nav button").nth(index).click();
  await page.waitForLoadState("networkidle");
}
