import { pino } from "pino";
import pretty from "pino-pretty";
import type { Config } from "./config.js";

export type Logger = pino.Logger;

/** Whether logs are readable lines (a terminal, or LOG_FORMAT=pretty) or JSON. */
export function logsArePretty(config: Pick<Config, "LOG_FORMAT">, isTty: boolean): boolean {
  return config.LOG_FORMAT === "pretty" || (config.LOG_FORMAT === "auto" && isTty);
}

/**
 * Structured JSON logs (a service manager, a pipe, LOG_FORMAT=json); on a terminal,
 * readable coloured lines through pino-pretty. Tests pass level "silent".
 */
export function createLogger(
  config: Pick<Config, "LOG_LEVEL"> & Partial<Pick<Config, "LOG_FORMAT">>,
  isTty = process.stdout.isTTY === true,
): Logger {
  const options = { level: config.LOG_LEVEL, base: { app: "helpdesk" } };
  if (!logsArePretty({ LOG_FORMAT: config.LOG_FORMAT ?? "json" }, isTty)) return pino(options);
  // A synchronous stream, not a worker-thread transport: lines stay in order with the banner.
  return pino(
    options,
    pretty({ colorize: isTty, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,app", sync: true }),
  );
}
