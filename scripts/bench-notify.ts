/**
 * `npm run bench:notify`: pushes a burst through the real outbox worker and the
 * Telegram deliverer against the fake Bot API with Telegram's real limits, and
 * prints the achieved rate against the 30/s ceiling, 429s and per-chat rates.
 * Options: --chats N (default 900), --one N (messages to one private chat, 10),
 * --group N (messages to one group, 20), --429 N (injected Too Many Requests, 3).
 * Uses DATABASE_URL when set, else an in-memory PGlite.
 * With --backlog: a standing backlog instead (--rows 100000 over --over 1000
 * chats, --group-backlog 10000 to one group, drained for --seconds 60): claim
 * cost, delivery rate and database CPU (scripts/bench-notify-backlog.ts).
 */
import { parseArgs } from "node:util";
import { pino } from "pino";
import { Telegram } from "telegraf";
import { createTelegramDeliverer } from "../bot/delivery/deliverer.js";
import { createDb } from "../drizzle/client.js";
import { notifications, tickets, users } from "../drizzle/schema/index.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { TELEGRAM_LIMITS } from "../server/domain/delivery/budget.js";
import { createI18n } from "../server/i18n.js";
import { createOutboxWorker } from "../server/jobs/outbox/worker.js";
import { createFakeTelegram, FAILURES, maxInWindow } from "../server/sandbox/bot-api/server.js";
import { runBacklogBench } from "./bench-notify-backlog.js";

const { values } = parseArgs({
  options: {
    chats: { type: "string", default: "900" },
    one: { type: "string", default: "10" },
    group: { type: "string", default: "20" },
    "429": { type: "string", default: "3" },
    backlog: { type: "boolean", default: false },
    rows: { type: "string", default: "100000" },
    over: { type: "string", default: "1000" },
    "group-backlog": { type: "string", default: "10000" },
    seconds: { type: "string", default: "60" },
  },
});
const chats = Number(values.chats);
const toOne = Number(values.one);
const toGroup = Number(values.group);
const tooMany = Number(values["429"]);

const handle = await createDb({ DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: "", inMemory: true });
await handle.migrate();
await seedDefaults(handle.db);
const fake = await createFakeTelegram({ token: "123456:BENCH-token-for-the-fake-bot-api" });
const [requester] = await handle.db.insert(users).values({ telegramId: 1, firstName: "Bench" }).returning();
const category = await handle.db.query.categories.findFirst();
const [ticket] = await handle.db
  .insert(tickets)
  .values({
    number: `T-BENCH-${Date.now()}`,
    title: "Bench",
    categoryId: category!.id,
    requesterId: requester.id,
  })
  .returning();

if (values.backlog) {
  await runBacklogBench(handle, {
    rows: Number(values.rows),
    chats: Number(values.over),
    group: Number(values["group-backlog"]),
    seconds: Number(values.seconds),
    ticketId: ticket.id,
    postgres: Boolean(process.env.DATABASE_URL),
  });
  await handle.close();
  process.exit(0);
}

const ONE = 90_000_001;
const GROUP = -100_900_001;
const run = Date.now();
const rows = [
  ...Array.from({ length: chats }, (_, i) => 91_000_000 + i),
  ...Array.from({ length: toOne }, () => ONE),
  ...Array.from({ length: toGroup }, () => GROUP),
].map((chatId, i) => ({
  chatId,
  ticketId: ticket.id,
  type: "system" as const,
  idempotencyKey: `bench-${run}-${i}`,
}));
for (let i = 0; i < rows.length; i += 500)
  await handle.db.insert(notifications).values(rows.slice(i, i + 500));
for (let i = 0; i < tooMany; i++)
  fake.failNext("sendMessage", FAILURES.tooMany(1), { chatId: 91_000_000 + i * 7 });

const worker = createOutboxWorker({
  db: handle.db,
  deliver: createTelegramDeliverer({
    db: handle.db,
    i18n: await createI18n("en"),
    telegram: new Telegram("123456:BENCH-token-for-the-fake-bot-api", { apiRoot: fake.url }),
    staffLanguage: "en",
  }),
  logger: pino({ level: "silent" }),
  idleMs: 50,
});
console.log(
  `sending ${rows.length} notifications (${chats} chats, ${toOne} to one chat, ${toGroup} to one group)…`,
);
const started = Date.now();
worker.start();
let lastReport = 0;
while (fake.sends().length < rows.length) {
  await new Promise((r) => setTimeout(r, 250));
  if (Date.now() - lastReport > 5000) {
    lastReport = Date.now();
    console.log(
      `  ${fake.sends().length}/${rows.length} sent after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
const elapsed = (Date.now() - started) / 1000;
await worker.stop();

const sends = fake.sends();
const times = sends.map((c) => c.at);
const privateMax = maxInWindow(
  fake.sends(ONE).map((c) => c.at),
  1000,
);
const groupMax = maxInWindow(
  fake.sends(GROUP).map((c) => c.at),
  60_000,
);
const firstWave = sends.slice(0, Math.min(sends.length, chats)).map((c) => c.at);
const waveRate = firstWave.length / ((Math.max(...firstWave) - Math.min(...firstWave)) / 1000 || 1);
console.log(`
messages sent:            ${sends.length} in ${elapsed.toFixed(1)} s
achieved rate (burst):    ${waveRate.toFixed(1)} msg/s  (ceiling ${TELEGRAM_LIMITS.global.count}/s)
max in any 1 s window:    ${maxInWindow(times, 1000)}  (limit ${TELEGRAM_LIMITS.global.count})
429 answers honoured:     ${fake.calls.filter((c) => c.failure?.error_code === 429).length}
one private chat, max/1s: ${privateMax}  (limit ${TELEGRAM_LIMITS.privateChat.count})
one group, max/60s:       ${groupMax}  (limit ${TELEGRAM_LIMITS.groupChat.count})`);
await fake.close();
await handle.close();
