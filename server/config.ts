import { existsSync } from "node:fs";
import { z } from "zod";

/**
 * The whole environment of the product, parsed once at start. Nothing else reads
 * process.env: tests build configs with parseConfig({...}).
 */
const idList = z
  .string()
  .default("")
  .transform((s, ctx) => {
    const parts = s.split(/[\s,]+/).filter(Boolean);
    const ids: number[] = [];
    for (const p of parts) {
      if (!/^-?\d+$/.test(p)) {
        ctx.addIssue({ code: "custom", message: `"${p}" is not a numeric Telegram id` });
        return z.NEVER;
      }
      ids.push(Number(p));
    }
    return ids;
  });

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s.trim()));

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  /** PostgreSQL connections of this process; unset: 2 × CPUs + 1, at most 10 (drizzle/client.ts). */
  DATABASE_POOL_SIZE: optionalString.pipe(
    z.coerce.number<string | undefined>().int().min(1).max(500).optional(),
  ),
  DATA_DIR: z.string().min(1).default("./data"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** auto: readable lines on a terminal, JSON otherwise (a service manager, a pipe). */
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
  /**
   * The local sandbox (docs/SANDBOX.md): an in-process Telegram stand-in and /sandbox.
   * auto: on when BOT_TOKEN is unset and NODE_ENV=development; never with NODE_ENV=production.
   */
  SANDBOX: z.enum(["auto", "on", "off"]).default("auto"),
  BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, "must look like 123456:ABC-DEF... (from @BotFather)")
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  /**
   * Which Bot API TELEGRAM_API_ROOT serves: "bale" (https://tapi.bale.ai) switches off what
   * Bale lacks (forum topics, the Mini App menu button); docs/OPERATIONS.md "Running on Bale".
   */
  BOT_PLATFORM: z.enum(["telegram", "bale"]).default("telegram"),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 characters of A-Z a-z 0-9 _ -")
      .optional(),
  ),
  BOOTSTRAP_ADMIN_IDS: idList,
  STAFF_CHAT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^-?\d+$/, "must be a numeric chat id")
      .optional(),
  ),
  DEFAULT_LANGUAGE: z.enum(["fa", "en", "ru"]).default("fa"),
  TIME_ZONE: z
    .string()
    .default("Asia/Tehran")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "must be an IANA time zone such as Asia/Tehran"),
  MAX_FILE_MB: z.coerce.number().positive().max(2000).default(10),
  JWT_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  INITDATA_MAX_AGE_S: z.coerce.number().int().positive().default(3600),
  /** Required as `Authorization: Bearer <token>` by GET /metrics; unset: loopback clients only. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  /** A folder for the daily backup (docs/OPERATIONS.md); unset: no scheduled backups. */
  BACKUP_DIR: optionalString,
  /** How many daily backups to keep there (the oldest go). */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(7),
  /** The hour (UTC, 0-23) the daily backup runs. */
  BACKUP_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(3),
  /** Behind one reverse proxy that appends the client to X-Forwarded-For: trust its last entry. */
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {}

/** Parses an environment-like object; throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  return Object.freeze(result.data);
}

/** The one place that reads process.env (after a .env file in the working directory, if any). */
export function loadConfig(): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return parseConfig(process.env);
}
