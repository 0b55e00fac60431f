/**
 * `npm run deploy:check`: runs the deployment docs/DEPLOYMENT.md describes, on
 * this machine. A fresh PostgreSQL database; a fake Bot API in its own process;
 * two product instances started as the doc's systemd unit starts them (its
 * ExecStart, WorkingDirectory, Environment= and an EnvironmentFile); then nginx
 * and Caddy in turn, each with the doc's configuration taken from the page (only
 * host names, ports and certificate paths changed; a self-signed certificate),
 * and through each, over HTTPS: health, the Mini App, webhook updates handled
 * once and spread over both instances, live events across instances, /metrics
 * refused, a large upload, the client address behind the proxy, and an instance
 * stopped mid-traffic. The unit is checked with `systemd-analyze verify`.
 * Installs nothing: a proxy that is not installed is skipped, loudly. Stops
 * everything it started (by PID) and drops its database. Exits 1 on any failure.
 *
 * Needs DATABASE_URL (a PostgreSQL server to create the run's database on; default
 * postgres://postgres@127.0.0.1:5432/postgres). Ports: 4200 (fake Bot API), 4201
 * and 4202 (instances), 4443 (the proxy's HTTPS), 4210 (Caddy's plain HTTP).
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectPostgres, createDb, withDatabase } from "../drizzle/client.js";
import { miniAppBuildNeeded } from "../server/start/miniapp-build.js";
import { seedWorld } from "./chaos-world.js";
import {
  DOC_HOST,
  instanceEnv,
  root,
  type Site,
  systemdUnit,
  unitFacts,
} from "./deploy-check/doc-configs.js";
import {
  folder,
  run,
  type Service,
  selfSignedCert,
  startService,
  stopAll,
  waitFor,
  which,
} from "./deploy-check/processes.js";
import { type Check, proxyRound } from "./deploy-check/proxy-round.js";
import { verifyUnit, versions } from "./deploy-check/tools.js";

const BOT_TOKEN = "123456:DEPLOY-check-token-for-the-fake-bot-api";
const FAKE_PORT = 4200;
const site: Omit<Site, "cert" | "key"> = { host: DOC_HOST, tlsPort: 4443, httpPort: 4210, basePort: 4200 };
const ports = [site.basePort + 1, site.basePort + 2];
const checks: Check[] = [];
const skipped: string[] = [];

const dir = mkdtempSync(join(tmpdir(), "hx_deploy_check-"));
// nginx's workers (user nobody) write large request bodies under it.
chmodSync(dir, 0o755);
console.log(`deploy:check — files of this run in ${dir}`);
console.log(
  `load average at start: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
const tools = versions();
for (const [name, v] of Object.entries(tools)) console.log(`  ${name}: ${v ?? "NOT INSTALLED"}`);

const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `hx_deploy_check_${Date.now()}`;
const admin = connectPostgres(baseUrl, { max: 1 });
const fake = fork(new URL("./deploy-check/fake-telegram.ts", import.meta.url), [String(FAKE_PORT)], {
  execArgv: ["--import", "tsx"],
});
let handle: Awaited<ReturnType<typeof createDb>> | null = null;
try {
  const [{ url: apiRoot }] = (await once(fake, "message")) as [{ url: string }];
  const [{ version }] = await admin.unsafe<Array<{ version: string }>>("select version()");
  console.log(`  PostgreSQL server: ${version.split(" on ")[0]}`);
  await admin.unsafe(`create database ${dbName}`);
  const databaseUrl = withDatabase(baseUrl, dbName);
  if (miniAppBuildNeeded(join(root, "miniapp/dist"))) {
    console.log("building the Mini App once, as the doc says (npm run build)…");
    if (!run("npm", ["run", "build"]).ok) throw new Error("npm run build failed");
  }

  // The unit as the doc writes it (install path: this checkout), verified by systemd's own parser.
  const unit = systemdUnit(root.replace(/\/$/, ""));
  const unitFile = join(dir, "helpdesk@1.service");
  writeFileSync(unitFile, unit);
  const verified = verifyUnit(unitFile);
  if (verified) checks.push({ name: "systemd-analyze verify of the unit", ...verified });
  else skipped.push("systemd-analyze verify (systemd-analyze not installed)");

  // /etc/helpdesk/env as the doc lists it, plus where the fake Bot API is.
  const secret = "deploy-check-webhook-secret-0123456789";
  const envFile: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    BOT_TOKEN,
    JWT_SECRET: "deploy-check-jwt-secret-that-is-long-enough-0123456789",
    WEBHOOK_SECRET: secret,
    PUBLIC_URL: `https://${DOC_HOST}:${site.tlsPort}`,
    DATA_DIR: folder(dir, "data"),
    TRUST_PROXY: "true",
    TELEGRAM_API_ROOT: apiRoot,
  };
  writeFileSync(
    join(dir, "env"),
    Object.entries(envFile)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
    { mode: 0o600 },
  );
  const facts = unitFacts(unit);
  const startInstance = (n: number): Service =>
    startService(`instance ${n}`, facts.execStart, {
      cwd: facts.workingDirectory,
      env: instanceEnv(facts, envFile, n, site.basePort),
      logFile: join(dir, `instance-${n}.log`),
    });
  const healthy = (port: number) => () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok);
  // Both at once, as `systemctl enable --now helpdesk@1 helpdesk@2` does: migrations race under their lock.
  const t0 = performance.now();
  const instances = [startInstance(1), startInstance(2)];
  await Promise.all(instances.map((s, i) => waitFor(s, healthy(ports[i]), 180_000)));
  console.log(
    `both instances healthy after ${((performance.now() - t0) / 1000).toFixed(1)} s (started together on an empty database)`,
  );

  handle = await createDb({ DATA_DIR: "", DATABASE_URL: databaseUrl, maxConnections: 3 });
  const world = await seedWorld(handle.db, { requesters: 10, agents: 1, staffChatId: null });
  const cert = selfSignedCert(dir, DOC_HOST);
  const rounds = [
    { proxy: "nginx" as const, program: which("nginx"), markLetter: "n", firstNewId: 8_100_000 },
    { proxy: "caddy" as const, program: which("caddy"), markLetter: "k", firstNewId: 8_200_000 },
  ];
  for (const [i, r] of rounds.entries()) {
    if (!r.program) {
      skipped.push(
        `${r.proxy} (not installed: apt-get install -y ${r.proxy}) — its configuration was NOT checked`,
      );
      console.log(`\n${r.proxy}: SKIPPED, not installed`);
      continue;
    }
    console.log(
      `\n${r.proxy} (${tools[r.proxy]}), the doc's configuration, https://${DOC_HOST}:${site.tlsPort}`,
    );
    if (instances[0].proc.exitCode !== null) {
      // As systemd's Restart=always does after the previous round stopped it.
      instances[0] = startInstance(1);
      await waitFor(instances[0], healthy(ports[0]), 180_000);
    }
    checks.push(
      ...(await proxyRound({
        ...r,
        program: r.program,
        version: tools[r.proxy],
        site: { ...site, ...cert },
        dir: folder(dir, r.proxy),
        ports,
        instances,
        world: { db: handle.db, fake, secret, requesters: world.requesters.map((q) => q.tg) },
        botToken: BOT_TOKEN,
        adminTelegramId: world.admin.telegramId,
        ticketIds: [world.requesters[2 * i].ticketId, world.requesters[2 * i + 1].ticketId],
      })),
    );
  }
} catch (err) {
  checks.push({ name: "the run itself", ok: false, detail: String(err) });
} finally {
  await stopAll();
  fake.disconnect();
  await handle?.close();
  // A run that lost or doubled something keeps its database (claims, messages, rate
  // buckets) to read what happened; Caddy 2.6's known 502s alone do not (they fail most runs).
  const telling = checks.filter((c) => !c.ok && !c.answersOnly);
  if (telling.length === 0 && !process.env.KEEP_DB)
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  else console.log(`database kept: ${dbName} (drop it with: dropdb -h 127.0.0.1 -U postgres ${dbName})`);
  await admin.end();
}

const failed = checks.filter((c) => !c.ok);
console.log(
  `\n──── deploy:check summary (load average now ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}) ────`,
);
for (const c of checks) console.log(`${c.ok ? "PASS" : "FAIL"}  ${c.name}${c.ok ? "" : `: ${c.detail}`}`);
for (const s of skipped) console.log(`SKIPPED  ${s}`);
console.log(`${checks.length - failed.length} passed, ${failed.length} failed, ${skipped.length} skipped`);
if (failed.length === 0) rmSync(dir, { recursive: true, force: true });
else console.log(`logs kept in ${dir}`);
process.exit(failed.length === 0 ? 0 : 1);
