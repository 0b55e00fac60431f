/**
 * `npm run bench:api`: seeds tickets with messages on PostgreSQL and prints
 * p50/p95/p99 of the queue (list, filtered list, search) and ticket detail,
 * through the real HTTP app, plus the Mini App's JavaScript size gzipped.
 * Options: --tickets N (default 100000; 1000000 works, slowly), --runs N (200).
 * Needs DATABASE_URL (or TEST_DATABASE_URL); it creates and drops its own database.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { pino } from "pino";
import { createTokenService } from "../server/auth/tokens.js";
import { createContextFactory } from "../server/domain/build-context.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { createChangeBus } from "../server/events/bus.js";
import { createApp } from "../server/http/app.js";
import { miniAppDist } from "../server/http/static.js";
import { createI18n } from "../server/i18n.js";
import { createBenchDatabase } from "./bench-database.js";

const { values } = parseArgs({
  options: { tickets: { type: "string", default: "100000" }, runs: { type: "string", default: "200" } },
});
const N = Number(values.tickets);
const RUNS = Number(values.runs);
const bench = await createBenchDatabase("bench:api", 10);
const handle = bench.handle;
try {
  await seedDefaults(handle.db);
  const sql = handle.sql!;
  const t0 = Date.now();
  console.log(`seeding ${N.toLocaleString()} tickets with 3 messages each…`);
  await sql`insert into users (telegram_id, first_name, role) select 5000000 + g, 'Requester ' || g, 'requester' from generate_series(1, 2000) g`;
  const [{ id: adminId }] =
    await sql`insert into users (telegram_id, first_name, role) values (4999999, 'Bench admin', 'admin') returning id`;
  await sql`
    insert into tickets (number, title, description, status, priority, category_id, requester_id, created_at, updated_at)
    select 'T-BENCH-' || lpad(g::text, 8, '0'),
           (array['Printer','VPN','Wi-Fi','Projector','Laptop','Email','Keyboard','Licence'])[1 + g % 8] || ' problem ' || g,
           'Details of request ' || g || ' in room ' || (g % 300),
           (array['open','in_progress','waiting_customer','resolved','closed'])[1 + g % 5]::ticket_status,
           (array['low','normal','high','critical'])[1 + g % 4]::priority,
           (select id from categories order by sort_order limit 1 offset (g % 4)),
           (select id from users where telegram_id = 5000000 + 1 + (g % 2000)),
           now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
    from generate_series(1, ${N}) g`;
  await sql`
    insert into messages (ticket_id, author_id, body, created_at)
    select t.id, t.requester_id, 'Message ' || m || ' on ' || t.number, t.created_at + (m || ' minutes')::interval
    from tickets t, generate_series(1, 3) m`;
  await sql`analyze`;
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const bus = createChangeBus();
  const tokens = createTokenService(handle.db, "bench-secret-that-is-long-enough-1234567890");
  const app = createApp({
    db: handle.db,
    i18n: await createI18n("en"),
    logger: pino({ level: "silent" }),
    defaultLanguage: "en",
    miniAppDist: false,
    api: {
      contexts: createContextFactory({
        db: handle.db,
        notify: bus,
        settings: { timeZone: "Asia/Tehran", staffChatId: null, maxFileBytes: 10 << 20 },
      }),
      tokens,
      changes: bus,
      botToken: undefined,
      initDataMaxAgeS: 3600,
      telegramApiRoot: "http://127.0.0.1:9",
      rateLimits: { auth: { perMinute: 1e9, burst: 1e9 }, writes: { perMinute: 1e9, burst: 1e9 } },
    },
  });
  const { accessToken } = await tokens.issue(adminId);
  const get = async (path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${accessToken}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const sample = await get("/api/tickets?limit=50");
  const ids: string[] = sample.items.map((t: { id: string }) => t.id);
  const words = ["Printer", "VPN", "room 42", "T-BENCH-0000777", "Licence problem 9"];
  const scenarios: Record<string, (i: number) => string> = {
    "list (newest 20)": () => "/api/tickets?limit=20",
    "filtered list": (i) =>
      `/api/tickets?status=open,in_progress&priority=${["high", "critical"][i % 2]}&limit=20`,
    "search (q)": (i) => `/api/tickets?q=${encodeURIComponent(words[i % words.length])}&limit=20`,
    "ticket detail + thread": (i) => `/api/tickets/${ids[i % ids.length]}`,
  };
  console.log(`\n${RUNS} requests per scenario over ${N.toLocaleString()} tickets (ms):`);
  for (const [name, path] of Object.entries(scenarios)) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await get(path(i));
      if (name.startsWith("ticket")) await get(`${path(i)}/messages`);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(
      `  ${name.padEnd(24)} p50 ${p(0.5).padStart(7)}  p95 ${p(0.95).padStart(7)}  p99 ${p(0.99).padStart(7)}`,
    );
  }
} finally {
  await bench.drop();
}

try {
  const assets = join(miniAppDist, "assets");
  const js = readdirSync(assets).filter((f) => f.endsWith(".js"));
  const gz = js.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
  console.log(`\nMini App JavaScript: ${(gz / 1024).toFixed(1)} KiB gzipped (${js.length} file(s))`);
} catch {
  console.log("\nMini App not built (npm run build) — no bundle size.");
}
