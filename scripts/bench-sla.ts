/**
 * `npm run bench:sla`: 100,000 open tickets with running SLA clocks (--tickets N),
 * each with its sla_check job, on an on-disk PGlite (or PostgreSQL with
 * DATABASE_URL). Prints: how long the batched recalculation of every clock takes
 * (what a policy edit costs), the scheduler's claim of due clocks per batch (p50,
 * p95) among all those jobs, each check's run, and — with the real scheduler,
 * outbox worker and Telegram deliverer against the fake Bot API — the time from a
 * breach's due time to its post in the staff chat, for --breaches N tickets
 * (default 10), opened 10 s apart under a one-minute first-response policy.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { Telegram } from "telegraf";
import { createTelegramDeliverer } from "../bot/delivery/deliverer.js";
import { createDb } from "../drizzle/client.js";
import { branches, slaPolicies, tickets, users } from "../drizzle/schema/index.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { rowsOf } from "../server/domain/delivery/budget.js";
import {
  createContextFactory,
  createTicket,
  SYSTEM_ACTOR,
  scheduleSlaRecalc,
  systemClock,
} from "../server/domain/index.js";
import { createI18n } from "../server/i18n.js";
import { createOutboxWorker } from "../server/jobs/outbox/worker.js";
import { jobHandlers } from "../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../server/jobs/scheduler/worker.js";
import { createFakeTelegram } from "../server/sandbox/bot-api/server.js";
import { createBenchDatabase } from "./bench-database.js";

const { values } = parseArgs({
  options: {
    tickets: { type: "string", default: "100000" },
    breaches: { type: "string", default: "10" },
  },
});
const total = Number(values.tickets);
const breaches = Number(values.breaches);
const STAFF_CHAT = -100_500_001;
const TOKEN = "123456:BENCH-token-for-the-fake-bot-api";

const pg = process.env.DATABASE_URL ? await createBenchDatabase("bench_sla") : null;
const dir = pg ? null : mkdtempSync(join(tmpdir(), "bench-sla-"));
const handle = pg?.handle ?? (await createDb({ DATA_DIR: dir as string }));
if (!pg) await handle.migrate();
const db = handle.db;
await seedDefaults(db);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

// The seeded policy for normal tickets: first response in 8 h, resolution in 3 days (wall time).
const [requester] = await db.insert(users).values({ telegramId: 1, firstName: "Bench" }).returning();
const [agent] = await db
  .insert(users)
  .values({ telegramId: 2, firstName: "Agent", role: "agent" })
  .returning();
const category = await db.query.categories.findFirst();
const now = Date.now();
console.log(`seeding ${total} open tickets…`);
const started = performance.now();
// They warn (at 384 of 480 minutes) 1.5 to 6.5 hours from now: nothing falls due during the run
// but the breach tickets opened in step 3.
await db.execute(sql`
  insert into ${tickets} (number, title, category_id, requester_id, assignee_id, status, priority, created_at, updated_at)
  select 'T-SLA-' || i, 'Bench ticket ' || i, ${category?.id}, ${requester.id}, ${agent.id}, 'in_progress', 'normal',
         to_timestamp(${now / 1000}) - make_interval(mins => (i % 300)),
         to_timestamp(${now / 1000})
  from generate_series(1, ${total}) as i`);
console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const logger = pino({ level: "silent" });
const contexts = createContextFactory({
  db,
  clock: systemClock,
  settings: { timeZone: "Asia/Tehran", staffChatId: STAFF_CHAT, maxFileBytes: 20 * 1024 * 1024 },
  notify: { changed: () => {} },
});
const claims: { ms: number; jobs: number }[] = [];
const scheduler = createScheduler({
  db,
  clock: systemClock,
  system: () => ({ ...contexts.forSystem(), actor: SYSTEM_ACTOR }),
  handlers: { sla_recalc: jobHandlers.sla_recalc },
  logger,
});

// 1. Every clock computed by the batched walk a policy edit starts.
await scheduleSlaRecalc(db, new Date());
const walk = performance.now();
let rounds = 0;
for (;;) {
  const ran = await scheduler.runDue();
  if (ran === 0) break;
  rounds++;
  if (rounds % 10 === 0)
    console.log(`  round ${rounds}, ${((performance.now() - walk) / 1000).toFixed(1)} s`);
}
const walkS = (performance.now() - walk) / 1000;
const [{ jobs }] = rowsOf<{ jobs: number }>(
  await db.execute(
    sql`select count(*)::int as jobs from scheduled_jobs where kind = 'sla_check' and state = 'pending'`,
  ),
);
console.log(
  `recalculated ${total} clocks in ${walkS.toFixed(1)} s (${((walkS * 1e6) / total).toFixed(0)} µs each); ${jobs} sla_check jobs pending`,
);

// 2. Claims among all those jobs: time them with nothing due (the breach tickets' warnings,
// due already, raised first), then the breaches as they come.
const all = createScheduler({
  db,
  clock: systemClock,
  system: () => ({ ...contexts.forSystem(), actor: SYSTEM_ACTOR }),
  handlers: jobHandlers,
  logger,
  onClaim: (t, jobs) => claims.push({ ms: t, jobs }),
});
while ((await all.runDue()) > 0) {}
claims.length = 0;
for (let i = 0; i < 200; i++) await all.runDue();
const idle = claims.map((c) => c.ms);
console.log(
  `claim with nothing due among ${jobs} jobs: p50 ${ms(quantile(idle, 0.5))}, p95 ${ms(quantile(idle, 0.95))}`,
);

// 3. The whole path: the scheduler raises each breach, the outbox posts it to the staff chat.
const fake = await createFakeTelegram({ token: TOKEN, enforceLimits: true });
const outbox = createOutboxWorker({
  db,
  deliver: createTelegramDeliverer({
    db,
    i18n: await createI18n("en"),
    telegram: new Telegram(TOKEN, { apiRoot: fake.url }),
    staffLanguage: "en",
  }),
  logger,
});
claims.length = 0;
const checks: number[] = [];
const timed = createScheduler({
  db,
  clock: systemClock,
  system: () => ({ ...contexts.forSystem(), actor: SYSTEM_ACTOR }),
  handlers: {
    ...jobHandlers,
    sla_check: async (ctx, payload) => {
      const t = performance.now();
      await jobHandlers.sla_check?.(ctx, payload);
      checks.push(performance.now() - t);
    },
  },
  logger,
  onClaim: (t, n) => claims.push({ ms: t, jobs: n }),
});
timed.start();
outbox.start();
// The breach tickets: opened 10 s apart through the domain, in a branch whose critical
// policy wants a first response within a minute, so each breaches a minute after it
// opened. Each costs the staff group three calls (its card; at the breach a card edit and
// the post): 18 a minute, within Telegram's 20, so what is measured is our path, not
// Telegram's limit (bench:burst measures a staff chat over its limit).
const [branch] = await db
  .insert(branches)
  .values({ code: "bench", name: { fa: "آزمون", en: "Bench" } })
  .returning();
await db
  .insert(slaPolicies)
  // No warning (warnPercent 0): the staff group's 20 posts a minute are for the cards and the breaches.
  .values({
    name: "bench",
    priority: "critical",
    branchId: branch.id,
    firstResponseMinutes: 1,
    warnPercent: 0,
  });
const [caller] = await db
  .insert(users)
  .values({ telegramId: 3, firstName: "Caller", branchId: branch.id })
  .returning();
const dueOf = new Map<string, number>();
for (let i = 0; i < breaches; i++) {
  const t = await createTicket({
    ctx: contexts.forUser(caller),
    input: { title: `Projector ${i}`, categoryId: category?.id, priority: "critical" },
  });
  dueOf.set(t.number, t.firstResponseDueAt?.getTime() ?? Date.now());
  await new Promise((r) => setTimeout(r, 10_000));
}
const last = Math.max(...dueOf.values());
console.log(
  `waiting for ${breaches} breaches (the last due in ${((last - Date.now()) / 1000).toFixed(0)} s)…`,
);
const posted = new Map<string, number>();
while (posted.size < breaches && Date.now() < last + 60_000) {
  await new Promise((r) => setTimeout(r, 200));
  for (const call of fake.sends(STAFF_CHAT)) {
    const text = String(call.params.text ?? call.params.caption ?? "");
    for (const number of dueOf.keys())
      if (!posted.has(number) && text.includes(number) && /breached its/.test(text))
        posted.set(number, call.at);
  }
}
await timed.stop();
await outbox.stop();
const lags = [...posted].map(([n, at]) => (at - (dueOf.get(n) ?? at)) / 1000);
const busy = claims.filter((c) => c.jobs > 0).map((c) => c.ms);
console.log(`
breaches posted to the staff chat: ${posted.size}/${breaches}
breach → Telegram send:            p50 ${quantile(lags, 0.5).toFixed(2)} s, max ${Math.max(...lags).toFixed(2)} s (goal ≤ 5 s)
claims taking due clocks:          p50 ${ms(quantile(busy, 0.5))}, p95 ${ms(quantile(busy, 0.95))} (goal p95 ≤ 50 ms per batch)
one sla_check (raise + notify):    p50 ${ms(quantile(checks, 0.5))}, p95 ${ms(quantile(checks, 0.95))}
database: ${pg ? "PostgreSQL" : "PGlite (on disk)"}`);
await fake.close();
if (pg) await pg.drop();
else {
  await handle.close();
  rmSync(dir as string, { recursive: true, force: true });
}
process.exit(0);
