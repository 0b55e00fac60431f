import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFakeTelegram } from "../../server/sandbox/bot-api/server.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { listeningPort } from "../helpers/listening-port.js";

const root = join(import.meta.dirname, "../..");

/** Starts the real product the way `npm start` does, with a clean environment. */
function startProduct(env: Record<string, string>) {
  // Not vitest's NODE_ENV=test either: a first start would build a development Mini App into miniapp/dist.
  const {
    TEST_DATABASE_URL: _a,
    TEST_DRIVER: _b,
    DATABASE_URL: _c,
    NODE_ENV: _d,
    ...inherited
  } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    env: { ...inherited, LOG_LEVEL: "info", SANDBOX: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  return { child, output: () => output, port: () => listeningPort(output) };
}

describe("starting the product", () => {
  it("serves /healthz on embedded PGlite with no configuration, and stops cleanly on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "helpdesk-start-"));
    const { child, output, port } = startProduct({ DATA_DIR: dataDir, PORT: "0", LOG_FORMAT: "json" });
    try {
      let health: Response | undefined;
      const end = Date.now() + 60_000;
      while (!health && Date.now() < end) {
        const listening = port();
        if (listening) health = await fetch(`http://127.0.0.1:${listening}/healthz`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 200));
      }
      expect(health?.status, output()).toBe(200);
      expect(await health?.json()).toMatchObject({ status: "ok", database: "ok" });
      child.kill("SIGTERM");
      const code = await new Promise((r) => child.once("exit", r));
      expect(code).toBe(0);
      expect(output()).toContain("stopped");
    } finally {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it("runs the bot and the outbox with BOT_TOKEN set: a /new over long polling reaches the staff chat", async () => {
    const fake = await createFakeTelegram();
    const dataDir = mkdtempSync(join(tmpdir(), "helpdesk-start-"));
    const { child, output } = startProduct({
      DATA_DIR: dataDir,
      PORT: "0",
      BOT_TOKEN: "123456:TEST-token-for-the-fake-bot-api",
      TELEGRAM_API_ROOT: fake.url,
      STAFF_CHAT_ID: "-1005000",
    });
    try {
      const user = tgUser(700_001, "en");
      const waitFor = async (check: () => boolean) => {
        const end = Date.now() + 60_000;
        while (!check()) {
          if (Date.now() > end) throw new Error(`timed out; product output:\n${output()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await waitFor(() => fake.callsOf("getUpdates").length > 0);
      fake.pushUpdate(updates.text(user, "/start new_network"));
      await waitFor(() => fake.sends(user.id).length > 0);
      fake.pushUpdate(updates.text(user, "Wi-Fi down in the library"));
      fake.pushUpdate(updates.callback(user, "flow:skip"));
      fake.pushUpdate(updates.callback(user, "flow:skip"));
      fake.pushUpdate(updates.callback(user, "pri:high"));
      fake.pushUpdate(updates.callback(user, "flow:confirm"));
      await waitFor(() => fake.sends(-1005000).length > 0);
      expect(String(fake.sends(-1005000)[0].params.text)).toContain("Wi-Fi down in the library");
      child.kill("SIGTERM");
      expect(await new Promise((r) => child.once("exit", r))).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses to start on a bad variable and names it", async () => {
    const { child, output } = startProduct({ PORT: "not-a-port", BOT_TOKEN: "oops" });
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(1);
    expect(output()).toContain("PORT");
    expect(output()).toContain("BOT_TOKEN");
  }, 30_000);
});
