import { pino } from "pino";
import type { Config } from "./config.js";

export type Logger = pino.Logger;

/** Structured JSON logs; tests pass level "silent". */
export function createLogger(config: Pick<Config, "LOG_LEVEL">): Logger {
  return pino({ level: config.LOG_LEVEL, base: { app: "helpdesk" } });
}
