import { describe, expect, it } from "vitest";
import { parseConfig } from "../../server/config.js";
import { logsArePretty } from "../../server/logger.js";
import {
  databaseOf,
  runModeOf,
  SandboxRefused,
  sandboxWanted,
  startBanner,
} from "../../server/start/banner.js";

const TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";

describe("the start banner", () => {
  it("names the mode, the PGlite folder, the sandbox URL and the next steps", () => {
    const config = parseConfig({ DATA_DIR: "/srv/helpdesk", PORT: "3100" });
    const text = startBanner(config, { mode: "sandbox" });
    expect(text).toContain("mode:      sandbox");
    expect(text).toContain("PGlite in /srv/helpdesk/pglite");
    expect(text).toContain("open:      http://localhost:3100/sandbox");
    expect(text).toContain("BOT_TOKEN");
    expect(text).toContain("npm run doctor");
    expect(text).toContain("npm run demo:reset");
  });

  it("shows the PostgreSQL host and database, never the password", () => {
    const config = parseConfig({ DATABASE_URL: "postgres://hd:s3cret-pw@db.example.org:5433/helpdesk" });
    expect(databaseOf(config)).toBe("PostgreSQL at db.example.org:5433 (database helpdesk)");
    const text = startBanner(config, { mode: "polling" });
    expect(text).not.toContain("s3cret");
    expect(text).not.toContain("hd:");
    const socket = parseConfig({ DATABASE_URL: "postgres://hd@localhost/helpdesk?host=/var/run/postgresql" });
    expect(databaseOf(socket)).toBe("PostgreSQL at /var/run/postgresql (database helpdesk)");
  });

  it("webhook mode opens PUBLIC_URL; polling mode the local address on the listening port", () => {
    const webhook = parseConfig({ BOT_TOKEN: TOKEN, PUBLIC_URL: "https://hd.example.org" });
    expect(runModeOf(webhook, false)).toBe("webhook");
    expect(startBanner(webhook, { mode: "webhook" })).toContain("open:      https://hd.example.org");
    const polling = parseConfig({ BOT_TOKEN: TOKEN, HOST: "127.0.0.1" });
    expect(runModeOf(polling, false)).toBe("polling");
    expect(startBanner(polling, { mode: "polling", port: 4321 })).toContain("http://127.0.0.1:4321");
    expect(runModeOf(parseConfig({}), false)).toBe("no-bot");
  });
});

describe("when the sandbox runs", () => {
  it("runs without a token in development, never with a token, never in tests unless asked", () => {
    expect(sandboxWanted(parseConfig({}))).toBe(true);
    expect(sandboxWanted(parseConfig({ BOT_TOKEN: TOKEN }))).toBe(false);
    expect(sandboxWanted(parseConfig({ NODE_ENV: "test" }))).toBe(false);
    expect(sandboxWanted(parseConfig({ SANDBOX: "off" }))).toBe(false);
    expect(sandboxWanted(parseConfig({ NODE_ENV: "test", SANDBOX: "on" }))).toBe(true);
  });

  it("refuses production, and SANDBOX=on with a token", () => {
    expect(sandboxWanted(parseConfig({ NODE_ENV: "production" }))).toBe(false);
    expect(() => sandboxWanted(parseConfig({ NODE_ENV: "production", SANDBOX: "on" }))).toThrow(
      SandboxRefused,
    );
    expect(() => sandboxWanted(parseConfig({ SANDBOX: "on", BOT_TOKEN: TOKEN }))).toThrow(SandboxRefused);
  });
});

describe("log format", () => {
  it("is readable on a terminal and JSON otherwise or with LOG_FORMAT=json", () => {
    expect(logsArePretty(parseConfig({}), true)).toBe(true);
    expect(logsArePretty(parseConfig({}), false)).toBe(false);
    expect(logsArePretty(parseConfig({ LOG_FORMAT: "json" }), true)).toBe(false);
    expect(logsArePretty(parseConfig({ LOG_FORMAT: "pretty" }), false)).toBe(true);
  });
});
