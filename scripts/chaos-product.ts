import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * The product as an operator runs it (`server/main.ts`, its own process), for the
 * chaos and load scripts: started, killed with SIGKILL (no shutdown code runs, as
 * in a power cut or an OOM kill) and started again on the same port, database and
 * fake Bot API. Its log lines go to a file, for a look after a bad run.
 */
export interface ProductOptions {
  databaseUrl: string;
  apiRoot: string;
  botToken: string;
  webhookSecret: string;
  jwtSecret: string;
  staffChatId: number | null;
  dataDir: string;
  logFile: string;
  /** Trust X-Forwarded-For (the load script gives each simulated agent an address of its own). */
  trustProxy?: boolean;
  poolSize?: number;
}

const root = fileURLToPath(new URL("../", import.meta.url));

/** A free TCP port on 127.0.0.1 (kept for every restart, as a real deployment keeps its port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function createProduct(opts: ProductOptions) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: WriteStream = createWriteStream(opts.logFile, { flags: "w" });
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const env = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    SANDBOX: "off",
    LOG_FORMAT: "json",
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? "warn",
    DATABASE_URL: opts.databaseUrl,
    ...(opts.poolSize ? { DATABASE_POOL_SIZE: String(opts.poolSize) } : {}),
    DATA_DIR: opts.dataDir,
    HOST: "127.0.0.1",
    PORT: String(port),
    BOT_TOKEN: opts.botToken,
    TELEGRAM_API_ROOT: opts.apiRoot,
    // Webhook mode: an update counts as acknowledged only when the webhook answered 200.
    PUBLIC_URL: url,
    WEBHOOK_SECRET: opts.webhookSecret,
    // Fixed, so the agents' access tokens survive a restart as they do in production.
    JWT_SECRET: opts.jwtSecret,
    DEFAULT_LANGUAGE: "en",
    TIME_ZONE: "Asia/Tehran",
    TRUST_PROXY: opts.trustProxy ? "true" : "false",
    ...(opts.staffChatId !== null ? { STAFF_CHAT_ID: String(opts.staffChatId) } : {}),
  };

  return {
    url,
    get pid() {
      return child?.pid ?? null;
    },
    /** Starts the process; resolves once /healthz answers 200, with the ms that took. */
    async start(): Promise<number> {
      const started = performance.now();
      const proc = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
        cwd: root,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      proc.stdout?.pipe(log, { end: false });
      proc.stderr?.pipe(log, { end: false });
      exited = new Promise((resolve) => proc.once("exit", () => resolve()));
      for (;;) {
        if (proc.exitCode !== null)
          throw new Error(`the product exited with ${proc.exitCode}; see ${opts.logFile}`);
        const ok = await fetch(`${url}/healthz`)
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) return performance.now() - started;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** SIGKILL: nothing of the product's shutdown runs. */
    async kill(): Promise<void> {
      child?.kill("SIGKILL");
      await exited;
      child = null;
    },
    /** SIGTERM: the product's graceful shutdown (end of a run). */
    async stop(): Promise<void> {
      child?.kill("SIGTERM");
      await exited;
      child = null;
      log.end();
    },
    /** Resident memory of the product process now (bytes), from /proc; 0 elsewhere. */
    async rss(): Promise<number> {
      if (!child?.pid) return 0;
      const { readFile } = await import("node:fs/promises");
      const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : 0;
    },
  };
}

export type Product = Awaited<ReturnType<typeof createProduct>>;
