/**
 * `npm run bench:notify -- --backlog`: a standing backlog (by default 100,000
 * queued rows over 1,000 private chats and 10,000 for one staff group), drained
 * for a while by the real outbox worker and deliverer, with the shared call
 * budget, against the fake Bot API. Prints what a claim costs while that much
 * waits (p50/p95/max), the delivery rate against Telegram's 30/s ceiling, and the
 * database's CPU per delivered message (PostgreSQL: its server processes, read
 * from /proc; PGlite: this process, which runs it).
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { Telegram } from "telegraf";
import { createTelegramDeliverer } from "../bot/delivery/deliverer.js";
import type { Db, DbHandle } from "../drizzle/client.js";
import { notifications } from "../drizzle/schema/index.js";
import { createCallBudget, TELEGRAM_LIMITS } from "../server/domain/delivery/budget.js";
import { createI18n } from "../server/i18n.js";
import { claimDue } from "../server/jobs/outbox/claim.js";
import { createOutboxWorker } from "../server/jobs/outbox/worker.js";
import { maxInWindow } from "../server/sandbox/bot-api/server.js";
import type { Report } from "./fake-telegram-process.js";

export interface BacklogOptions {
  rows: number;
  chats: number;
  group: number;
  seconds: number;
  ticketId: string;
  postgres: boolean;
}

const TOKEN = "123456:BENCH-token-for-the-fake-bot-api";
const GROUP = -100_900_002;

export async function runBacklogBench(handle: DbHandle, o: BacklogOptions): Promise<void> {
  const run = Date.now();
  const seedStarted = Date.now();
  const chatOf = (i: number) => (i < o.rows ? 92_000_000 + (i % o.chats) : GROUP);
  const total = o.rows + o.group;
  for (let i = 0; i < total; i += 1000) {
    const values = Array.from({ length: Math.min(1000, total - i) }, (_, k) => ({
      chatId: chatOf(i + k),
      ticketId: o.ticketId,
      type: "system" as const,
      idempotencyKey: `backlog-${run}-${i + k}`,
    }));
    await handle.db.insert(notifications).values(values);
  }
  console.log(
    `queued ${total} rows (${o.rows} over ${o.chats} chats, ${o.group} for one group) in ${s(Date.now() - seedStarted)}`,
  );
  if (o.postgres) await handle.db.execute(sql`analyze notifications`);

  // In a process of its own, as Telegram is: its work is not the worker's, and a claim
  // timed in the worker's process no longer waits behind the fake's answers. It holds
  // the bot to Telegram's limits, so a 429 here is one Telegram would have given.
  const fake = fork(new URL("./fake-telegram-process.ts", import.meta.url), ["--enforce-limits"], {
    execArgv: ["--import", "tsx"],
  });
  const [{ url: fakeUrl }] = (await once(fake, "message")) as [{ url: string }];
  try {
    const claims: number[] = [];
    const budget = createCallBudget(handle.db);
    const worker = createOutboxWorker({
      db: handle.db,
      claimDb: handle.claimDb(),
      deliver: createTelegramDeliverer({
        db: handle.db,
        i18n: await createI18n("en"),
        telegram: new Telegram(TOKEN, { apiRoot: fakeUrl }),
        staffLanguage: "en",
        budget,
      }),
      logger: pino({ level: "silent" }),
      idleMs: 50,
      onClaim: (ms, posts) => {
        if (posts > 0) claims.push(ms);
      },
    });
    const cpu0 = cpuNow(o.postgres);
    const sent0 = await sentCount(handle);
    const started = Date.now();
    worker.start();
    while (Date.now() - started < o.seconds * 1000) {
      await new Promise((r) => setTimeout(r, 5000));
      console.log(`  ${(await sentCount(handle)) - sent0} rows delivered after ${s(Date.now() - started)}`);
    }
    await worker.stop();
    const elapsed = (Date.now() - started) / 1000;
    const cpu = cpuNow(o.postgres) - cpu0;
    const delivered = (await sentCount(handle)) - sent0;
    fake.send("report");
    const [{ report }] = (await once(fake, "message")) as [{ report: Report }];
    const posts = report.posted.filter((p) => p.method.startsWith("send"));
    const distinct = posts.filter((p) => p.chatId !== GROUP);
    const q = quantiles(claims);
    // The run's last calls leave the bot-wide window first: claimed into a full window,
    // a claim reads no chat and returns nothing, which is no measure of a claim.
    await new Promise((r) => setTimeout(r, TELEGRAM_LIMITS.global.windowMs + 200));
    const aloneRun = await claimsAlone(handle, 200);
    const alone = quantiles(aloneRun.times);
    console.log(`
backlog:                  ${total} rows queued at the start, ${total - delivered} left
claims returning posts:   ${claims.length}; p50 ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${q(1).toFixed(2)} ms (in the running worker)
a claim alone:            p50 ${alone(0.5).toFixed(2)} ms, p95 ${alone(0.95).toFixed(2)} ms, max ${alone(1).toFixed(2)} ms (200 claims into an empty window, ${aloneRun.posts.toFixed(1)} posts each on average, nothing else running, rolled back)
posts made:               ${posts.length} in ${elapsed.toFixed(1)} s = ${(posts.length / elapsed).toFixed(1)}/s (ceiling ${TELEGRAM_LIMITS.global.count}/s)
  to distinct chats:      ${(distinct.length / elapsed).toFixed(1)}/s
  to the group:           ${posts.length - distinct.length} (max in 60 s: ${maxInWindow(
    posts.filter((p) => p.chatId === GROUP).map((p) => p.at),
    60_000,
  )}, limit ${TELEGRAM_LIMITS.groupChat.count})
rows delivered:           ${delivered} (a digest carries many)
max posts in any 1 s:     ${maxInWindow(
      posts.map((c) => c.at),
      1000,
    )} (limit ${TELEGRAM_LIMITS.global.count})
429 answers:              ${report.refused.bot + report.refused.private + report.refused.group} (Telegram's limits enforced by the fake)
database CPU:             ${cpu.toFixed(1)} s (${o.postgres ? "PostgreSQL server processes" : "this process, PGlite inside"}), ${((cpu * 1000) / Math.max(1, posts.length)).toFixed(2)} ms per post`);
  } finally {
    // Its open channel would keep this process alive after an error.
    fake.disconnect();
  }
}

async function sentCount(handle: DbHandle): Promise<number> {
  const rows = await handle.db.execute(
    sql`select count(*)::int as n from notifications where state = 'sent'`,
  );
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { n: number }[];
  return Number(list[0].n);
}

/** CPU seconds used so far: PostgreSQL's processes on this machine, or this process. */
function cpuNow(postgres: boolean): number {
  if (!postgres) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

const quantiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
};

/**
 * What a claim costs by itself while the backlog waits: the worker stopped, the
 * bot-wide window empty and no Bot API traffic, each claim (up to 30 posts) made
 * and rolled back, so every one sees the same backlog and window.
 */
async function claimsAlone(handle: DbHandle, count: number): Promise<{ times: number[]; posts: number }> {
  const times: number[] = [];
  let posts = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await handle.db
      .transaction(async (tx) => {
        posts += (await claimDue(tx as unknown as Db, 30, TELEGRAM_LIMITS)).posts.length;
        times.push(performance.now() - started);
        throw ROLLBACK;
      })
      .catch((err) => {
        if (err !== ROLLBACK) throw err;
      });
  }
  return { times, posts: posts / Math.max(1, count) };
}
const ROLLBACK = new Error("rolled back on purpose");

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
