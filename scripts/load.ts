/**
 * `npm run load`: the product (server/main.ts in its own process, webhook mode, a
 * fresh PostgreSQL database) with 200 requesters writing through the bot and 20
 * agents working through the API for 60 s. Prints p50/p95/p99 per kind of
 * request, throughput, the product's peak RSS, and the account of the run
 * (chaos-account.ts): 0 lost, 0 stored twice, 0 duplicate ticket numbers, the
 * outbox drained. Exits 1 when the account is not clean.
 *
 * Options: --seconds S (60), --requesters N (200), --agents N (20), --interval S
 * (mean seconds between one requester's messages, 5), --think S (mean seconds
 * between an agent's rounds, 2), --seed X, --drain S (300). Needs DATABASE_URL or
 * TEST_DATABASE_URL; creates and drops its own database.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { updates } from "../server/sandbox/bot-api/updates.js";
import { percentile } from "./bench-burst-measure.js";
import { accountClean, accountRun } from "./chaos-account.js";
import { createProduct } from "./chaos-product.js";
import { mulberry32 } from "./chaos-random.js";
import { backlog, readRunLog } from "./chaos-read.js";
import type { Endpoint } from "./chaos-traffic.js";
import { BOT_TOKEN, createRunDatabase, STAFF_CHAT, seedWorld } from "./chaos-world.js";
import { agent, type LoadRun, requester } from "./load-clients.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    requesters: { type: "string", default: "200" },
    agents: { type: "string", default: "20" },
    interval: { type: "string", default: "5" },
    think: { type: "string", default: "2" },
    seed: { type: "string" },
    drain: { type: "string", default: "300" },
  },
});
const SECONDS = Number(values.seconds);
const SEED = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const run = await createRunDatabase("load");
const dataDir = mkdtempSync(join(tmpdir(), "load-"));
const fake = fork(new URL("./chaos-telegram.ts", import.meta.url), [], { execArgv: ["--import", "tsx"] });
const [{ url: apiRoot }] = (await once(fake, "message")) as [{ url: string }];
let clean = false;
try {
  console.log(
    `load: ${values.requesters} requesters + ${values.agents} agents × ${SECONDS} s (seed ${SEED}); seeding…`,
  );
  const world = await seedWorld(run.handle.db, {
    requesters: Number(values.requesters),
    agents: Number(values.agents),
    staffChatId: STAFF_CHAT,
  });
  const secret = "load-webhook-secret-0123456789";
  const product = await createProduct({
    databaseUrl: run.url,
    apiRoot,
    botToken: BOT_TOKEN,
    webhookSecret: secret,
    jwtSecret: "load-jwt-secret-that-is-long-enough-0123456789",
    staffChatId: STAFF_CHAT,
    dataDir,
    logFile: join(dataDir, "product.log"),
    trustProxy: true,
  });
  console.log(`product started in ${s(await product.start())}`);
  // The seeded tickets' cards go out first: the load starts with the outbox as a running helpdesk has it.
  const times = new Map<string, number[]>();
  let loading = true;
  let mark = 0;
  const ep: Endpoint = {
    url: product.url,
    alive: () => true,
    timed: ({ kind, ms }) => {
      if (loading) times.set(kind, [...(times.get(kind) ?? []), ms]);
    },
  };
  const started = Date.now();
  const load: LoadRun = {
    ep,
    secret,
    fake,
    random: mulberry32(SEED),
    running: () => loading,
    endsAt: started + SECONDS * 1000,
    nextMark: () => ++mark,
    accepted: [],
    refused: new Map(),
  };
  let peakRss = await product.rss();
  const sampler = setInterval(() => {
    void product.rss().then((b) => {
      peakRss = Math.max(peakRss, b);
    });
  }, 500);
  const people = [
    ...world.requesters.map((r) =>
      requester(load, r, Number(values.interval) * 1000, (tg, text) => updates.text(tg, text)),
    ),
    ...world.agents.map((_, i) => agent(load, i, world.requesters, Number(values.think) * 1000)),
  ];
  await sleep(SECONDS * 1000);
  loading = false;
  const loadMs = Date.now() - started;
  // The requests in flight finish (their answer times are not counted: the load is over).
  await Promise.all(people);
  console.log(`load done in ${s(loadMs)}; draining the outbox…`);
  const drainStart = Date.now();
  let left = await backlog(run.handle.db);
  while ((left.outbox > 0 || left.jobs > 0) && Date.now() - drainStart < Number(values.drain) * 1000) {
    await sleep(1000);
    left = await backlog(run.handle.db);
  }
  const drainedMs = Date.now() - drainStart;
  clearInterval(sampler);
  await product.stop();
  const log = await readRunLog(run.handle.db, fake, load.accepted);
  const account = accountRun(log);
  clean = accountClean(account) && left.outbox === 0;
  const rows = [...times].sort(([a], [b]) => a.localeCompare(b));
  const total = rows.reduce((n, [, t]) => n + t.length, 0);
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(10);
  console.log(`
requests by kind (answer time, during the load)            count      p50       p95       p99      per s`);
  for (const [kind, t] of rows)
    console.log(
      `  ${kind.padEnd(54)} ${String(t.length).padStart(6)} ${ms(percentile(t, 0.5))}${ms(percentile(t, 0.95))}${ms(percentile(t, 0.99))} ${(t.length / (loadMs / 1000)).toFixed(1).padStart(8)}`,
    );
  console.log(`
throughput:               ${(total / (loadMs / 1000)).toFixed(1)} requests/s (${total} in ${s(loadMs)})
refused answers:          ${load.refused.size ? JSON.stringify(Object.fromEntries(load.refused)) : "none"}
messages accepted:        ${account.acceptedMessages}, stored once ${account.storedOnce}
lost / stored twice:      ${account.lostMessages.length} / ${account.duplicateMessages.length}   (target 0)
duplicate ticket numbers: ${account.duplicateTicketNumbers.length}   (target 0; ${log.ticketNumbers.length} tickets)
notifications delivered:  ${account.delivered} posts (outbox rows by state: ${JSON.stringify(log.notificationStates)})
stuck / failed / re-sent: ${account.stuck} / ${account.failed} / ${account.resentPrivate.length + account.resentGroup.length}
sent, in no post:         ${account.missingPosts.length}   (target 0)
outbox drained:           ${left.outbox === 0 ? `in ${s(drainedMs)} after the load` : `NO: ${left.outbox} rows left after ${s(drainedMs)}`}
peak RSS (product):       ${(peakRss / 1024 / 1024).toFixed(0)} MB
result:                   ${clean ? "CLEAN" : "NOT CLEAN"}`);
} finally {
  fake.disconnect();
  await run.drop();
  if (clean) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(clean ? 0 : 1);
