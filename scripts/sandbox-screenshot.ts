/**
 * `npm run docs:screenshot`: the screenshot of /sandbox in docs/sandbox.png. Starts the
 * product in sandbox mode (a fresh demo database in a temporary folder) on a free port,
 * opens /sandbox in headless Chromium (/usr/bin/chromium), lets a requester file a
 * ticket through the /new wizard so that it shows in the staff group, and saves the picture.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "docs/sandbox.png");
const dataDir = mkdtempSync(join(tmpdir(), "helpdesk-screenshot-"));
const port = 41_000 + Math.floor(Math.random() * 1000);
const { BOT_TOKEN: _a, DATABASE_URL: _b, NODE_ENV: _c, ...env } = process.env;
const child = spawn(process.execPath, [...process.execArgv, join(root, "server/main.ts")], {
  cwd: root,
  env: {
    ...env,
    SANDBOX: "on",
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_FORMAT: "json",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
let output = "";
child.stdout?.on("data", (d) => {
  output += d;
});
try {
  const end = Date.now() + 180_000;
  while (!output.includes('"mode":"sandbox"')) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`the sandbox did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  await page.goto(`http://127.0.0.1:${port}/sandbox`);
  await page.selectOption("#req-person", "710002");
  await page.fill("#req-text", "/new");
  await page.press("#req-text", "Enter");
  await page.locator("#req-msgs .msg").last().filter({ hasText: "Choose a category" }).waitFor();
  await page.locator("#req-msgs .msg").last().locator(".kb button", { hasText: "Software" }).click();
  const last = (text: string) => page.locator("#req-msgs .msg").last().filter({ hasText: text }).waitFor();
  const press = (text: string) =>
    page.locator("#req-msgs .msg").last().locator(".kb button", { hasText: text }).click();
  await last("short title");
  await page.fill("#req-text", "Laptop cannot install the exam software");
  await page.press("#req-text", "Enter");
  await last("Describe the problem");
  await page.fill("#req-text", "The installer stops at 80% with an access error.");
  await page.press("#req-text", "Enter");
  await last("Send photos");
  await press("Skip");
  await last("How urgent");
  await press("High");
  await last("Please check your ticket");
  await press("Send");
  await last("is open");
  await page.locator("#staff-msgs .msg").first().waitFor();
  await page.frameLocator("#app-frame").locator("[data-ticket]").first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  await browser.close();
  console.log(`saved ${out}`);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
