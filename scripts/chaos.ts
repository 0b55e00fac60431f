/**
 * `npm run chaos`: the product (server/main.ts, its own process, webhook mode, a
 * fresh PostgreSQL database) under load — requesters' messages arriving through
 * the webhook, agents replying, changing status and opening tickets through the
 * API, auto-close jobs falling due — killed with SIGKILL at random moments and
 * started again, while the load keeps going and retries what was not
 * acknowledged. Then the exact account (chaos-account.ts): every accepted message
 * stored once, every notification delivered once, no duplicate ticket numbers,
 * nothing stuck. Exits 1 when the account is not clean.
 *
 * Options: --seconds S (60) of load, --kills N (4), --seed X (random; printed, to
 * replay a run), --requesters N (20), --agents N (3), --rate R (requester messages
 * a second, 8), --no-staff-chat (no staff group: private chats only), --drain S (300,
 * how long to wait for the backlog after the load). Needs DATABASE_URL or
 * TEST_DATABASE_URL (PostgreSQL); creates and drops its own database.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { updates } from "../server/sandbox/bot-api/updates.js";
import { accountClean, accountRun } from "./chaos-account.js";
import { type ChaosLoad, startChaosLoad } from "./chaos-load.js";
import { createProduct } from "./chaos-product.js";
import { mulberry32 } from "./chaos-random.js";
import { backlog, readRunLog } from "./chaos-read.js";
import { BOT_TOKEN, createRunDatabase, STAFF_CHAT, seedWorld } from "./chaos-world.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    kills: { type: "string", default: "4" },
    seed: { type: "string" },
    requesters: { type: "string", default: "20" },
    agents: { type: "string", default: "3" },
    rate: { type: "string", default: "8" },
    "no-staff-chat": { type: "boolean", default: false },
    drain: { type: "string", default: "300" },
  },
});
const SECONDS = Number(values.seconds);
const KILLS = Number(values.kills);
const SEED = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const random = mulberry32(SEED);
const staffChatId = values["no-staff-chat"] ? null : STAFF_CHAT;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.log(`chaos: seed ${SEED}, ${SECONDS} s of load, ${KILLS} kills`);
const run = await createRunDatabase("chaos");
const dataDir = mkdtempSync(join(tmpdir(), "chaos-"));
const fake = fork(new URL("./chaos-telegram.ts", import.meta.url), [], { execArgv: ["--import", "tsx"] });
const [{ url: apiRoot }] = (await once(fake, "message")) as [{ url: string }];
let load: ChaosLoad | null = null;
let clean = false;
try {
  const world = await seedWorld(run.handle.db, {
    requesters: Number(values.requesters),
    agents: Number(values.agents),
    staffChatId,
    autoCloses: 10,
    autoCloseWithinS: SECONDS,
    random,
  });
  const secret = "chaos-webhook-secret-0123456789";
  const product = await createProduct({
    databaseUrl: run.url,
    apiRoot,
    botToken: BOT_TOKEN,
    webhookSecret: secret,
    jwtSecret: "chaos-jwt-secret-that-is-long-enough-0123456789",
    staffChatId,
    dataDir,
    logFile: join(tmpdir(), `chaos-product-${SEED}.log`),
  });
  console.log(
    `first start: ${s(await product.start())} (product log: ${join(tmpdir(), `chaos-product-${SEED}.log`)})`,
  );

  load = startChaosLoad({
    url: product.url,
    secret,
    fake,
    world,
    random,
    ratePerS: Number(values.rate),
    nextUpdate: (tg, text) => updates.text(tg, text),
  });
  // Each kill comes after a seeded random uptime, so the product is killed while it
  // works (not while it is still starting, which takes long on a busy machine).
  const slice = (SECONDS * 1000) / (KILLS + 1);
  const started = Date.now();
  const restarts: Array<{ killedAt: number; downMs: number; healthyMs: number; upAt: number }> = [];
  for (let k = 0; k < KILLS; k++) {
    await sleep((0.3 + random() * 1.4) * slice);
    const killedAt = Date.now();
    await product.kill();
    const downMs = random() * 1500;
    await sleep(downMs);
    const healthyMs = await product.start();
    restarts.push({ killedAt, downMs, healthyMs, upAt: Date.now() });
    console.log(
      `  kill ${k + 1} at ${s(killedAt - started)} of load: down ${s(downMs)}, healthy again after ${s(healthyMs)}`,
    );
  }
  await sleep(Math.max(slice, started + SECONDS * 1000 - Date.now()));
  console.log("load stopped; finishing retries and draining the outbox…");
  const loadMs = Date.now() - started;
  const drainStart = Date.now();
  await load.stop(Number(values.drain) * 1000);
  let left = await backlog(run.handle.db);
  while ((left.outbox > 0 || left.jobs > 0) && Date.now() - drainStart < Number(values.drain) * 1000) {
    await sleep(1000);
    left = await backlog(run.handle.db);
  }
  const drainedMs = Date.now() - drainStart;
  await product.stop();
  const stats = load.stats();
  // From each kill: the first acknowledgement of an update sent after the restart, and
  // the last acknowledgement of an update that was in flight when the product died.
  const recovery = restarts.map((r) => {
    const first = stats.acks.find((a) => a.sentAt >= r.upAt);
    return first ? first.at - r.killedAt : null;
  });
  const inFlight = restarts.map((r) => {
    const caught = stats.acks.filter((a) => a.sentAt < r.killedAt && a.at > r.killedAt);
    return caught.length ? Math.max(...caught.map((a) => a.at)) - r.killedAt : null;
  });
  const log = await readRunLog(run.handle.db, fake, stats.accepted);
  const account = accountRun(log);
  clean = accountClean(account);
  const list = (xs: unknown[]) => (xs.length ? ` ${JSON.stringify(xs.slice(0, 5))}` : "");
  console.log(`
seed:                     ${SEED}
load:                     ${s(loadMs)} (${SECONDS} s asked; the restarts' start-up time is added)
kills:                    ${KILLS} (SIGKILL), start-up after each: ${restarts.map((r) => s(r.healthyMs)).join(", ") || "—"}
kill → next update acked: ${recovery.map((ms) => (ms === null ? "—" : s(ms))).join(", ") || "—"}   (includes the down time and the start-up)
kill → all updates in flight at the kill acked: ${inFlight.map((ms) => (ms === null ? "—" : s(ms))).join(", ") || "—"}   (a dead process's claim is taken over at once: its liveness lock is gone)
updates:                  ${stats.updates} sent, ${stats.updateAttempts} deliveries (${stats.updateAttempts - stats.updates} re-sent after no 200), ${stats.unacked} never acknowledged
API writes:               ${stats.replies} replies, ${stats.created} tickets opened, ${stats.statusChanges} status changes (${stats.apiAttempts} requests)
messages accepted:        ${account.acceptedMessages}, stored once ${account.storedOnce}
lost:                     ${account.lostMessages.length}${list(account.lostMessages)}   (target 0)
stored twice:             ${account.duplicateMessages.length}${list(account.duplicateMessages)}   (target 0)
duplicate ticket numbers: ${account.duplicateTicketNumbers.length}${list(account.duplicateTicketNumbers)}   (target 0)
notifications delivered:  ${account.delivered} posts matching the send ledger (outbox rows by state: ${JSON.stringify(log.notificationStates)})
stuck / failed:           ${account.stuck} / ${account.failed}   (target 0)
sent, in no post:         ${account.missingPosts.length}${list(account.missingPosts)}   (target 0)
ledger open / phantom:    ${account.openParts} / ${account.phantomParts.length}${list(account.phantomParts)}   (target 0)
private re-sends:         ${account.resentPrivate.length}, mark twice in a private chat ${account.markTwicePrivate.length}${list(account.markTwicePrivate)}   (target 0)
staff group re-sends:     ${account.resentGroup.length}, mark twice in the group ${account.markTwiceGroup.length}${list(account.markTwiceGroup)}   (groups are not probed: at-least-once, docs/NOTIFICATIONS.md)
other bot posts:          ${account.otherPosts}
drained in:               ${s(drainedMs)} after the load${left.outbox || left.jobs ? ` (NOT drained: ${left.outbox} outbox rows, ${left.jobs} jobs left)` : ""}
result:                   ${clean ? "CLEAN" : "NOT CLEAN"}`);
} finally {
  await load?.stop(0).catch(() => {});
  fake.disconnect();
  // An unclean run keeps its database for a look (its name is printed); a clean one is dropped.
  if (clean) await run.drop();
  else console.log(`database kept for inspection: ${run.url} (dropdb --force it when done)`);
  if (clean) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(clean ? 0 : 1);
