import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The processes of the check, each started as its service manager would start it
 * and stopped by its own PID: product instances, nginx, Caddy. Every one is
 * remembered so that the end of the run (or a failure) stops them all.
 */
const started = new Set<ChildProcess>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a program is installed (on PATH or in /usr/sbin, where Debian puts nginx). */
export function which(program: string): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    const path = join(dir, program);
    if (dir && existsSync(path)) return path;
  }
  return null;
}

/** Runs a program to its end and returns its output (stdout and stderr: nginx -v writes to stderr). */
export function run(program: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(program, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}` || String(result.error ?? "");
  return { ok: result.status === 0, output };
}

/** A self-signed certificate for `host` (with it as subjectAltName, as clients require). */
export function selfSignedCert(dir: string, host: string): { cert: string; key: string } {
  const cert = join(dir, "fullchain.pem");
  const key = join(dir, "privkey.pem");
  const made = run("openssl", [
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"],
    ...["-keyout", key, "-out", cert, "-subj", `/CN=${host}`, "-addext", `subjectAltName=DNS:${host}`],
  ]);
  if (!made.ok) throw new Error(`openssl could not make a certificate: ${made.output}`);
  return { cert, key };
}

export interface Service {
  name: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
  /** SIGTERM, then how long it took to exit and its exit code. */
  stop(): Promise<{ ms: number; code: number | null }>;
}

/** Starts a program as a foreground child with its output in `logFile`. */
export function startService(
  name: string,
  command: string[],
  opts: { cwd?: string; env?: Record<string, string>; logFile: string },
): Service {
  const proc = spawn(command[0], command.slice(1), {
    cwd: opts.cwd,
    env: opts.env ?? { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(proc);
  const log = createWriteStream(opts.logFile, { flags: "a" });
  proc.stdout?.pipe(log, { end: false });
  proc.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) =>
    proc.once("exit", (code, signal) => {
      started.delete(proc);
      resolve(code ?? (signal ? 128 : null));
    }),
  );
  return {
    name,
    proc,
    exited,
    async stop() {
      const t0 = performance.now();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      const code = await exited;
      return { ms: performance.now() - t0, code };
    },
  };
}

/** Waits until `probe` answers true, or throws naming the service (and whether it died). */
export async function waitFor(service: Service, probe: () => Promise<boolean>, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (service.proc.exitCode !== null)
      throw new Error(`${service.name} exited with ${service.proc.exitCode}`);
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${service.name} was not ready after ${timeoutMs / 1000} s`);
}

/** Stops every process this run started that is still running (SIGTERM by PID, then SIGKILL). */
export async function stopAll(): Promise<void> {
  const left = [...started];
  for (const p of left) p.kill("SIGTERM");
  const deadline = Date.now() + 15_000;
  while (started.size > 0 && Date.now() < deadline) await sleep(100);
  for (const p of started) p.kill("SIGKILL");
}

/** A private folder (made if missing). */
export function folder(...parts: string[]): string {
  const dir = join(...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
