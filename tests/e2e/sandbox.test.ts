import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningPort } from "../helpers/listening-port.js";
import { CHROMIUM, hasChromium } from "../helpers/miniapp-browser.js";

const root = join(import.meta.dirname, "../..");

/**
 * `npm start` in sandbox mode, as a new user runs it (no BOT_TOKEN), in a real browser:
 * the requester files a ticket by pressing the bot's buttons, an agent answers it in the
 * Mini App pane, the answer arrives in the requester's chat.
 */
describe.skipIf(!hasChromium)("the /sandbox page", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "helpdesk-sandbox-e2e-"));
  let base = "";
  let output = "";
  let child: ReturnType<typeof spawn>;
  let browser: Browser;
  let readyMs = 0;

  beforeAll(async () => {
    // Not vitest's NODE_ENV=test (a development Mini App build) and no test database.
    const {
      TEST_DATABASE_URL: _a,
      TEST_DRIVER: _b,
      DATABASE_URL: _c,
      NODE_ENV: _d,
      BOT_TOKEN: _e,
      ...env
    } = process.env;
    const started = Date.now();
    child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: root,
      env: {
        ...env,
        SANDBOX: "on",
        DATA_DIR: dataDir,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => {
      output += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
    });
    const end = Date.now() + 150_000;
    while (Date.now() < end && !output.includes('"mode":"sandbox"'))
      await new Promise((r) => setTimeout(r, 100));
    readyMs = Date.now() - started;
    expect(output, output).toContain('"mode":"sandbox"');
    base = `http://127.0.0.1:${listeningPort(output)}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    // A first start builds the Mini App and seeds the demo: a minute on a busy 2-core machine.
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    child?.kill("SIGTERM");
    if (child && child.exitCode === null) await new Promise((r) => child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`sandbox ready after ${readyMs} ms (spawn to the ready line)`);
  });

  /** Presses a button of the bot's last message in the requester's chat. */
  const press = (page: Page, text: string) =>
    page.locator("#req-msgs .msg").last().locator(".kb button", { hasText: text }).click();
  const lastBotText = (page: Page, text: string) =>
    page.locator("#req-msgs .msg").last().filter({ hasText: text }).waitFor();

  it("files a ticket through the bot's buttons, answers it from the Mini App pane, shows the answer in the chat", async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    const authStatuses: number[] = [];
    page.on("response", (r) => {
      if (r.url().endsWith("/api/auth/telegram")) authStatuses.push(r.status());
    });
    await page.goto(`${base}/sandbox`);
    await page.selectOption("#req-person", "710002");
    await page.fill("#req-text", "/new");
    await page.press("#req-text", "Enter");
    await lastBotText(page, "Choose a category");
    await press(page, "Software");
    await lastBotText(page, "short title");
    await page.fill("#req-text", "Projector in room 12 shows nothing");
    await page.press("#req-text", "Enter");
    await lastBotText(page, "Describe the problem");
    await page.fill("#req-text", "No picture since Monday; the cable was checked.");
    await page.press("#req-text", "Enter");
    await lastBotText(page, "Send photos");
    await press(page, "Skip");
    await lastBotText(page, "How urgent");
    await press(page, "High");
    await lastBotText(page, "Please check your ticket");
    await press(page, "Send");
    await lastBotText(page, "is open");
    const opened = (await page.locator("#req-msgs .msg").last().textContent()) ?? "";
    const number = /T-\d{8}-\d{4}/.exec(opened)?.[0];
    expect(number).toBeTruthy();
    // The staff group got its topic and post.
    await page.locator("#staff-msgs .msg", { hasText: number }).first().waitFor();

    // The Mini App pane, as the agent (the default persona), answers it.
    const app = page.frameLocator("#app-frame");
    await app.locator(`[data-ticket="${number}"]`).click();
    await app.locator(".composer textarea").fill("We are sending a technician this morning.");
    await app.locator(".composer-row button", { hasText: "Send" }).click();
    await page.locator("#req-msgs .msg", { hasText: "We are sending a technician this morning." }).waitFor();

    expect(authStatuses).toContain(200);
    expect(authStatuses.filter((s) => s !== 200)).toEqual([]);
    await page.close();
  }, 120_000);

  it("speaks the visitor's language: Persian right to left, Russian, English by default", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/sandbox?lang=fa`);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    expect(await page.textContent("header b")).toBe("میز کمک آزمایشی");
    expect(await page.textContent("#req-send")).toBe("ارسال");
    await page.goto(`${base}/sandbox?lang=ru`);
    expect(await page.textContent("#app-open")).toBe("Открыть");
    await page.goto(`${base}/sandbox`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.textContent("header b")).toBe("Helpdesk sandbox");
    await page.close();
  });
});
