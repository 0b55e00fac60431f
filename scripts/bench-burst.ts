/**
 * `npm run bench:burst`: N requesters each send several messages at once (real
 * Telegram update JSON into the bot), against a fake Bot API that holds the bot
 * to Telegram's flood limits (429 beyond them). The product runs as
 * server/main.ts composes it: the bot's answers and the outbox share one call
 * budget. Prints how long until staff can see every message (its own post, a
 * merged post or a digest), what was posted, the 429s, lost and duplicated
 * messages, requesters left without an answer and how soon they got one, the
 * API's p95 before and during the burst, and peak RSS.
 *
 * Options: --users N (500), --per N (messages each, 4), --db pglite|postgres
 * (postgres: a fresh database next to TEST_DATABASE_URL or DATABASE_URL),
 * --forum (the staff chat is a forum: one topic per ticket), --timeout S (600),
 * --connections N (PostgreSQL pool; the product's default when unset), --journal FILE
 * (every message the fake Bot API posted or edited, one JSON line each), --in-memory
 * (PGlite inside the process instead of in a temporary DATA_DIR on disk, as npm start runs it),
 * --feed polling|direct: how the updates reach the bot. polling (the default) queues them
 * all in the fake Bot API at once and the bot takes them with getUpdates, 100 at a time,
 * as `npm start` without PUBLIC_URL does: Telegram never hands a bot more at once (a
 * webhook gets at most 40 at a time). direct hands all of them to bot.handleUpdate at
 * once, a harsher load than Telegram makes (the figures before 2026-12-08).
 */

import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startBot } from "../bot/runtime.js";
import { createDb, type DbHandle } from "../drizzle/client.js";
import { updates } from "../server/sandbox/bot-api/updates.js";
import { markOf, outcome, percentile, progress, startSamplers } from "./bench-burst-measure.js";
import { STAFF_CHAT, seedWorld, startProduct } from "./bench-burst-world.js";
import { createBenchDatabase } from "./bench-database.js";
import type { Report } from "./fake-telegram-process.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "500" },
    per: { type: "string", default: "4" },
    db: { type: "string", default: "pglite" },
    forum: { type: "boolean", default: false },
    timeout: { type: "string", default: "600" },
    connections: { type: "string" },
    journal: { type: "string" },
    "in-memory": { type: "boolean", default: false },
    feed: { type: "string", default: "polling" },
  },
});
const USERS = Number(values.users);
const PER = Number(values.per);
const TIMEOUT_MS = Number(values.timeout) * 1000;
const connections = values.connections ? Number(values.connections) : undefined;
if (values.feed !== "polling" && values.feed !== "direct") throw new Error("--feed is polling or direct");
const direct = values.feed === "direct";

let handle: DbHandle;
let drop: () => Promise<void>;
if (values.db === "postgres") {
  const bench = await createBenchDatabase("bench:burst", connections);
  handle = bench.handle;
  drop = bench.drop;
} else {
  // On disk in a temporary DATA_DIR, as `npm start` runs it (its files are not the
  // process's memory); --in-memory puts the whole database inside the process.
  const dir = values["in-memory"] ? "" : mkdtempSync(join(tmpdir(), "bench-burst-"));
  handle = await createDb({ DATA_DIR: dir, inMemory: values["in-memory"] });
  await handle.migrate();
  drop = async () => {
    await handle.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
const db = handle.db;
// Telegram in a process of its own: its work is not the product's (CPU, RSS).
const flags = [
  "--enforce-limits",
  // "=" because the id starts with a dash, which parseArgs would take for an option.
  ...(values.forum ? [`--forum-chat=${STAFF_CHAT}`] : []),
  ...(values.journal ? ["--journal", values.journal] : []),
];
const fake = fork(new URL("./fake-telegram-process.ts", import.meta.url), flags, {
  execArgv: ["--import", "tsx"],
});
const [{ url: fakeUrl }] = (await once(fake, "message")) as [{ url: string }];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number | null) =>
  ms === null || Number.isNaN(ms) ? "—" : `${(ms / 1000).toFixed(1)} s`;

try {
  console.log(
    `seeding ${USERS} requesters with a ticket each (${values.db}, ${values.forum ? "forum" : "plain group"})…`,
  );
  const seedStart = Date.now();
  const { admin, requesters } = await seedWorld(db, USERS, values.forum);
  console.log(`seeded in ${seconds(Date.now() - seedStart)}`);
  const { bot, worker, app, tokens, i18n, logger } = await startProduct(
    db,
    fakeUrl,
    handle.claimDb(),
    handle.apiDb(),
  );
  bot.botInfo = await bot.telegram.getMe();
  // Long polling as main.ts starts it (commands registered, handed-back updates retried).
  const polling = direct ? undefined : await startBot(bot, i18n, logger, { defaultLanguage: "en", db });
  const { accessToken } = await tokens.issue(admin.id);
  const queue = async () => {
    const res = await app.request("/api/tickets?limit=20&sort=updated_desc", {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (res.status !== 200) throw new Error(`ticket queue answered ${res.status}`);
    await res.arrayBuffer();
  };
  worker.start();
  const idle = startSamplers(queue);
  await sleep(3000);
  const idleApi = await idle.stop();

  const marks: string[] = [];
  const burst = requesters.flatMap((r, i) =>
    Array.from({ length: PER }, (_, k) => {
      marks.push(markOf(i, k));
      return updates.text(r.tg, `Message ${k + 1} about printer ${i}, still broken ${markOf(i, k)}`);
    }),
  );
  console.log(`feeding ${burst.length} updates at once (${USERS} users × ${PER})…`);
  const during = startSamplers(queue);
  const since = Date.now();
  let handledMs: number | null = null;
  let failedUpdates = 0;
  const handled = direct
    ? Promise.all(burst.map((u) => bot.handleUpdate(u as never).catch(() => void failedUpdates++))).then(
        () => {
          handledMs = Date.now() - since;
        },
      )
    : Promise.resolve();
  // Polling: handled once every message is stored (each gets its staff-chat row), seen every 500 ms.
  if (!direct) fake.send({ push: burst });
  let lastLog = since;
  for (;;) {
    await sleep(500);
    const now = await progress(db, STAFF_CHAT);
    if (!direct && handledMs === null && now.rows >= burst.length) handledMs = Date.now() - since;
    const done = handledMs !== null && now.visible >= burst.length && now.queued === 0;
    if (done || Date.now() - since > TIMEOUT_MS) break;
    if (Date.now() - lastLog >= 10_000) {
      lastLog = Date.now();
      console.log(
        `  ${seconds(Date.now() - since)}: ${now.rows} stored, ${now.visible} visible to staff, ${now.queued} queued`,
      );
    }
  }
  const drainedMs = Date.now() - since;
  const burstApi = await during.stop();
  const peak = burstApi.peak.rss > idleApi.peak.rss ? burstApi.peak : idleApi.peak;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  await handled.catch(() => {});
  await polling?.stop();
  await worker.stop();
  fake.send("report");
  const [{ report }] = (await once(fake, "message")) as [{ report: Report }];
  const got = await outcome(db, report, {
    staffChat: STAFF_CHAT,
    since,
    requesterChats: requesters.map((r) => r.tg.id),
    marks,
  });
  const refused = report.refused.bot + report.refused.private + report.refused.group;
  const p95 = (t: number[]) => `${percentile(t, 0.95).toFixed(1)} ms`;
  console.log(`
burst:                 ${USERS} users × ${PER} messages = ${burst.length} (${values.db}${values.db === "postgres" ? `, ${connections ?? "default"} connections` : ""}, ${values.forum ? "forum topics" : "plain staff group"}; fed ${direct ? "all at once to handleUpdate" : "through getUpdates"})
updates handled:       ${seconds(handledMs)}${failedUpdates ? ` (${failedUpdates} failed)` : ""}
all visible to staff:  ${seconds(got.allVisibleMs)}   (outbox empty after ${seconds(drainedMs)})
visible:               ${got.visible}/${burst.length}: ${got.inOwnOrMergedPost} in their own or a merged post, ${got.digested} in a digest
staff chat:            ${got.staffPosts} posts (${got.mergedPosts} merged), ${got.staffEdits} edits
429 answers:           ${refused} (bot-wide ${report.refused.bot}, private ${report.refused.private}, group ${report.refused.group})   (target 0)
lost:                  ${got.lost}${got.stored < burst.length ? ` (${burst.length - got.stored} never stored)` : ""}   (target 0)
duplicates:            ${got.duplicates}   (target 0)
marked sent, not seen: ${got.unseen}
unanswered requesters: ${got.unanswered} of ${USERS}   (target 0; ${got.answerPosts} answers posted)
first answer:          p50 ${seconds(got.answerP50)}  p99 ${seconds(got.answerP99)}
API p95 (queue):       idle ${p95(idleApi.times)}, during the burst ${p95(burstApi.times)} (${burstApi.times.length} requests)
peak RSS:              ${mb(peak.rss)} MB (JavaScript heap ${mb(peak.heapUsed)} MB of ${mb(peak.heapTotal)}, array buffers ${mb(peak.arrayBuffers)} MB, other external ${mb(peak.external - peak.arrayBuffers)} MB)
node flags:            ${process.execArgv.filter((a) => !a.startsWith("--import")).join(" ") || "none"}${process.execArgv.some((a) => a.startsWith("--max-old-space-size")) ? "" : "   (not npm start's: run it as npm run bench:burst)"}`);
  if (report.refusedChats.length)
    console.log(`429s by chat (first 10): ${JSON.stringify(report.refusedChats.slice(0, 10))}`);
} finally {
  fake.disconnect();
  await drop();
}
