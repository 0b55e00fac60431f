import { resolve } from "node:path";
import type { Config } from "../config.js";

export type RunMode = "sandbox" | "polling" | "webhook" | "no-bot";

/**
 * How this start talks to Telegram: a token and a public URL mean a webhook, a token
 * alone long polling; without a token, the local sandbox (when it is on) or no bot.
 */
export function runModeOf(config: Pick<Config, "BOT_TOKEN" | "PUBLIC_URL">, sandbox: boolean): RunMode {
  if (sandbox) return "sandbox";
  if (!config.BOT_TOKEN) return "no-bot";
  return config.PUBLIC_URL ? "webhook" : "polling";
}

/**
 * Whether this start runs the sandbox: SANDBOX=on/off decides; auto means on only
 * without a token in development. Production never runs it (a ConfigError says why).
 */
export function sandboxWanted(config: Pick<Config, "SANDBOX" | "BOT_TOKEN" | "NODE_ENV">): boolean {
  if (config.SANDBOX === "off") return false;
  if (config.NODE_ENV === "production") {
    if (config.SANDBOX === "on") throw new SandboxRefused();
    return false;
  }
  if (config.SANDBOX === "on") return !config.BOT_TOKEN || throwTokenSet();
  return !config.BOT_TOKEN && config.NODE_ENV === "development";
}

export class SandboxRefused extends Error {
  constructor(message = "SANDBOX: the sandbox never runs with NODE_ENV=production") {
    super(message);
  }
}

function throwTokenSet(): never {
  throw new SandboxRefused("SANDBOX=on: unset BOT_TOKEN (the sandbox is off whenever a token is set)");
}

/** The database in words, never with its password: the PGlite folder or the PostgreSQL host. */
export function databaseOf(config: Pick<Config, "DATABASE_URL" | "DATA_DIR">): string {
  if (!config.DATABASE_URL) return `PGlite in ${resolve(config.DATA_DIR, "pglite")}`;
  try {
    const url = new URL(config.DATABASE_URL);
    const socket = url.searchParams.get("host");
    const host = url.hostname ? `${url.hostname}${url.port ? `:${url.port}` : ""}` : "localhost";
    const db = url.pathname.replace(/^\//, "");
    return `PostgreSQL at ${socket ?? host}${db ? ` (database ${db})` : ""}`;
  } catch {
    return "PostgreSQL";
  }
}

/** The address to open in a browser (0.0.0.0 and :: are every interface: localhost works). */
export function localUrlOf(config: Pick<Config, "HOST" | "PORT">, port = config.PORT): string {
  const host = ["0.0.0.0", "::", ""].includes(config.HOST) ? "localhost" : config.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * The few lines printed after start: mode, database, where to go, what next. Plain
 * text (the operator's terminal, English like the logs).
 */
export function startBanner(
  config: Pick<Config, "BOT_TOKEN" | "PUBLIC_URL" | "DATABASE_URL" | "DATA_DIR" | "HOST" | "PORT">,
  opts: { mode: RunMode; port?: number },
): string {
  const base = localUrlOf(config, opts.port);
  const open =
    opts.mode === "sandbox"
      ? `${base}/sandbox`
      : opts.mode === "webhook" && config.PUBLIC_URL
        ? config.PUBLIC_URL
        : base;
  const next: Record<RunMode, string[]> = {
    sandbox: [
      "try the bot, the staff group and the Mini App side by side at the URL above",
      "a demo school helpdesk is loaded; npm run demo:reset starts it over",
      "for real Telegram: npm run setup (or set BOT_TOKEN in .env), then npm run doctor",
    ],
    "no-bot": ["set BOT_TOKEN in .env (npm run setup asks for it), then npm run doctor"],
    polling: ["send /start to your bot in Telegram; npm run doctor checks the set-up"],
    webhook: ["send /start to your bot in Telegram; npm run doctor checks the set-up"],
  };
  const modeText: Record<RunMode, string> = {
    sandbox: "sandbox (no Telegram: a local stand-in)",
    "no-bot": "no bot (BOT_TOKEN is not set)",
    polling: "polling (long polling Telegram)",
    webhook: "webhook (Telegram calls PUBLIC_URL)",
  };
  const lines = [
    "",
    "  Helpdesk is running",
    `  mode:      ${modeText[opts.mode]}`,
    `  database:  ${databaseOf(config)}`,
    `  open:      ${open}`,
    ...next[opts.mode].map((n, i) => `  ${i === 0 ? "next:      " : "           "}${n}`),
    "",
  ];
  return lines.join("\n");
}
