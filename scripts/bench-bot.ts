/**
 * `npm run bench:bot`: feeds real-shaped updates (requester replies into their
 * tickets' threads, /my, card buttons) through the webhook path on PostgreSQL
 * against the fake Bot API, and prints updates/s, p50/p95/p99 per update and
 * peak RSS. Options: --updates N (default 10000), --users N (500), --concurrency N (20),
 * --only reply|my|card (one kind of update, to see what each costs).
 * DATABASE_POOL_SIZE sets the connections as for the product (default 2 × CPUs + 1, at most 10).
 * Needs DATABASE_URL (or TEST_DATABASE_URL); it creates and drops its own database.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { createBot, webhookHandler } from "../bot/create-bot.js";
import { defaultPoolSize } from "../drizzle/client.js";
import { botSessions, tickets } from "../drizzle/schema/index.js";
import { createContextFactory } from "../server/domain/build-context.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { createApp } from "../server/http/app.js";
import { createI18n } from "../server/i18n.js";
import { updates } from "../server/sandbox/bot-api/updates.js";
import { createBenchDatabase } from "./bench-database.js";
import { insertRequesters } from "./bench-people.js";

const { values } = parseArgs({
  options: {
    updates: { type: "string", default: "10000" },
    users: { type: "string", default: "500" },
    concurrency: { type: "string", default: "20" },
    only: { type: "string" },
  },
});
const TOTAL = Number(values.updates);
const USERS = Number(values.users);
const CONCURRENCY = Number(values.concurrency);
// As many connections as the product opens by default (2 × CPUs + 1, at most 10; DATABASE_POOL_SIZE).
const poolSize = process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : defaultPoolSize();
const bench = await createBenchDatabase("bench:bot", poolSize);
const handle = bench.handle;
// The fake Bot API runs in its own process, as Telegram would: its work is not the bot's.
const fake = fork(new URL("./fake-telegram-process.ts", import.meta.url), { execArgv: ["--import", "tsx"] });
const [{ url: fakeUrl }] = (await once(fake, "message")) as [{ url: string }];
const callCount = async () => {
  fake.send("count");
  const [{ count }] = (await once(fake, "message")) as [{ count: number }];
  return count;
};
try {
  await seedDefaults(handle.db);
  const category = await handle.db.query.categories.findFirst();
  const { people, rows: userRows } = await insertRequesters(handle.db, USERS);
  const ticketRows = await handle.db
    .insert(tickets)
    .values(
      userRows.map((u, i) => ({
        number: `T-BOT-${i}`,
        title: `Bench ticket ${i}`,
        categoryId: category!.id,
        requesterId: u.id,
      })),
    )
    .returning();
  // Each requester has tapped "Reply" on their ticket: the reply conversation (a scene) is
  // running, and plain messages go into its thread.
  const expires = Math.floor(Date.now() / 1000) + 24 * 3600;
  await handle.db.insert(botSessions).values(
    people.map((p, i) => ({
      key: `${p.id}:${p.id}`,
      data: {
        __scenes: {
          current: "reply-to-ticket",
          state: { replyTo: ticketRows[i].id, number: ticketRows[i].number },
          expires,
        },
      },
    })),
  );

  const contexts = createContextFactory({
    db: handle.db,
    // A staff group is configured, as in any real deployment: each reply then queues its
    // staff-chat notification (an outbox row) in the reply's transaction, as it would live.
    settings: { timeZone: "Asia/Tehran", staffChatId: -1001234567890, maxFileBytes: 10 << 20 },
  });
  const logger = pino({ level: "silent" });
  const bot = createBot({
    token: "123456:BENCH-token-for-the-fake-bot-api",
    apiRoot: fakeUrl,
    db: handle.db,
    i18n: await createI18n("fa"),
    logger,
    contexts,
    defaultLanguage: "fa",
  });
  const secret = "bench-secret-0123456789";
  const app = createApp({
    db: handle.db,
    i18n: await createI18n("fa"),
    logger,
    defaultLanguage: "fa",
    telegramWebhook: webhookHandler(bot, secret, logger),
    miniAppDist: false,
  });

  const make = (i: number) => {
    const who = i % USERS;
    const p = people[who];
    const kind = { reply: 0, my: 6, card: 8 }[values.only ?? ""] ?? i % 10;
    if (kind < 6) return updates.text(p, `Reply number ${i} with some details about the problem`);
    if (kind < 8) return updates.text(p, "/my");
    return updates.callback(p, `card:${ticketRows[who].id.replaceAll("-", "")}`);
  };
  // The calls the bot puts in its webhook answers are Telegram's to make: they go to the
  // fake's process, in batches (that hand-over is Telegram's work, not the bot's).
  let answers: string[] = [];
  let answered = 0;
  const handOver = () => {
    if (answers.length) fake.send({ answers });
    answered += answers.length;
    answers = [];
  };
  const post = async (update: unknown) => {
    const res = await app.request("/telegram/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    });
    if (res.headers.get("content-type")?.startsWith("application/json")) {
      const body = await res.text(); // before naming the array: handOver may replace it meanwhile
      answers.push(body);
      if (answers.length >= 100) handOver();
    }
    return res;
  };
  // Warm up (connections, getMe, JIT) before measuring.
  for (let i = 0; i < 50; i++) await post(make(TOTAL + i));
  handOver();
  answered = 0;

  const times: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const update = make(next++);
        const t0 = performance.now();
        const res = await post(update);
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  handOver();
  const seconds = (performance.now() - started) / 1000;
  // CPU of this process (the bot, its webhook door and this driver) per update: less
  // sensitive than wall time to what else runs on the machine.
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`
updates:        ${TOTAL} (${USERS} users, ${CONCURRENCY} at a time, ${poolSize} PostgreSQL connections) in ${seconds.toFixed(1)} s
throughput:     ${(TOTAL / seconds).toFixed(0)} updates/s   (target ≥ 1000)
per update:     p50 ${p(0.5)} ms  p95 ${p(0.95)} ms  p99 ${p(0.99)} ms   (target p99 ≤ 50)
bot CPU:        ${((cpu.user + cpu.system) / 1000 / TOTAL).toFixed(2)} ms per update (${((cpu.user + cpu.system) / 10_000 / seconds).toFixed(0)}% of a core)
peak RSS:       ${(peakRss / 1024 / 1024).toFixed(0)} MB   (target ≤ 300)
Bot API calls:  ${await callCount()} (${answered} of them in webhook answers)`);
} finally {
  fake.disconnect();
  await bench.drop();
}
