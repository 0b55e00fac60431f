/**
 * `npm run bench:api`: seeds tickets with messages on PostgreSQL and prints
 * p50/p95/p99 of what the Mini App asks for, through the real HTTP app: the
 * queue's three tabs and later pages as a branch agent (the scope filter most
 * staff have), filters, search, the ticket screen's four calls, and the same
 * lists as an admin (no scope filter); plus the Mini App's JavaScript gzipped.
 * Options: --tickets N (default 100000; 1000000 works, slowly), --runs N (200),
 * --only TEXT (the scenarios whose name contains it, e.g. search), --keep (leave the
 * seeded database; its name is printed), --database NAME (time a database an earlier
 * --keep run left, without seeding again: a million tickets take minutes to seed).
 * Search is also broken down word by word (p50/p95 of each word), so a slow word shows.
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
import { benchActors, sampleTicketIds, seedBenchData } from "./bench-api-seed.js";
import { createBenchDatabase, reuseBenchDatabase } from "./bench-database.js";

const { values } = parseArgs({
  options: {
    tickets: { type: "string", default: "100000" },
    runs: { type: "string", default: "200" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    database: { type: "string" },
  },
});
const N = Number(values.tickets);
const RUNS = Number(values.runs);
const bench = values.database
  ? await reuseBenchDatabase(values.database)
  : await createBenchDatabase("bench:api", 10);
const handle = bench.handle;
try {
  const sql = handle.sql!;
  let seeded: Awaited<ReturnType<typeof benchActors>>;
  if (values.database) seeded = await benchActors(sql);
  else {
    await seedDefaults(handle.db);
    const t0 = Date.now();
    console.log(`seeding ${N.toLocaleString()} tickets with 3 messages each…`);
    seeded = await seedBenchData(sql, N);
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

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
  const tokenOf = async (userId: string) => (await tokens.issue(userId)).accessToken;
  const as = { agent: await tokenOf(seeded.agentId), admin: await tokenOf(seeded.adminId) };
  const get = async (token: string, path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  // The cursors of the All tab's pages 2–10, as someone scrolling down would send them.
  const laterPages: string[] = [];
  let page = await get(as.agent, "/api/tickets?limit=20&sort=updated_desc");
  while (page.nextCursor && laterPages.length < 9) {
    laterPages.push(page.nextCursor);
    page = await get(
      as.agent,
      `/api/tickets?limit=20&sort=updated_desc&cursor=${encodeURIComponent(page.nextCursor)}`,
    );
  }
  const ids = await sampleTicketIds(sql, seeded.homeBranchId, RUNS);
  // Titles, numbers and message text; common and rare; Persian typed on an Arabic keyboard (ي)
  // and with Persian digits, which the search folds (server/domain/search.ts).
  const words = [
    "Printer",
    "VPN",
    "room 42",
    "T-BENCH-0000777",
    "Licence problem 9",
    "پرينتر",
    "۳۰۴",
    "Пароль",
    "invoice T-BENCH-00000421",
    "نمیکند",
  ];
  const unfinished = "open,in_progress,waiting_customer";
  const list = (token: string, query: string) => () =>
    get(token, `/api/tickets?limit=20&sort=updated_desc${query}`);
  const scenarios: Record<string, (i: number) => Promise<unknown>> = {
    "agent: Unassigned tab": list(as.agent, `&assigneeId=none&status=${unfinished}`),
    "agent: Mine tab": list(as.agent, `&assigneeId=${seeded.agentId}`),
    "agent: All tab": list(as.agent, ""),
    "agent: All, pages 2-10": (i) =>
      list(as.agent, `&cursor=${encodeURIComponent(laterPages[i % laterPages.length] ?? "")}`)(),
    "agent: status+priority": (i) =>
      list(as.agent, `&status=open,in_progress&priority=${["high", "critical"][i % 2]}`)(),
    "agent: category+label": () =>
      list(as.agent, `&categoryId=${seeded.categoryId}&labelId=${seeded.labelId}`)(),
    // Few matches: the newest-first walk finds them late, if at all (the worst case of a filter).
    "agent: rare filter": () =>
      list(
        as.agent,
        `&status=open&priority=critical&categoryId=${seeded.categoryId}&labelId=${seeded.labelId}`,
      )(),
    "agent: search (q)": (i) => list(as.agent, `&q=${encodeURIComponent(words[i % words.length])}`)(),
    // The ticket screen asks for these four at once.
    "agent: ticket screen": (i) =>
      Promise.all(
        ["", "/messages", "/history", "/choices"].map((part) =>
          get(as.agent, `/api/tickets/${ids[i % ids.length]}${part}`),
        ),
      ),
    "admin: All tab": list(as.admin, ""),
    "admin: Unassigned tab": list(as.admin, `&assigneeId=none&status=${unfinished}`),
    "admin: search (q)": (i) => list(as.admin, `&q=${encodeURIComponent(words[i % words.length])}`)(),
  };
  const [{ count }] = await sql`select count(*)::int as count from tickets`;
  console.log(`\n${RUNS} requests per scenario over ${count.toLocaleString()} tickets (ms):`);
  for (const [name, run] of Object.entries(scenarios)) {
    if (values.only && !name.includes(values.only)) continue;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const result = (await run(i)) as { items?: unknown[] };
      // A list that comes back empty measures nothing: the seed or the query is wrong.
      if (i === 0 && result.items?.length === 0 && !name.includes("rare"))
        throw new Error(`${name}: the list is empty`);
      times.push(performance.now() - start);
    }
    printPercentiles(`  ${name.padEnd(26)}`, times);
    // Search: each word's own figures (run i asked words[i % words.length]).
    if (name.includes("search"))
      for (const [w, word] of words.entries())
        printPercentiles(
          `    ${JSON.stringify(word).padEnd(26)}`,
          times.filter((_, i) => i % words.length === w),
        );
  }
} finally {
  if (values.keep && !values.database) {
    const [{ name }] = await handle.sql!`select current_database() as name`;
    await handle.close();
    console.log(`kept the database ${name} (--database ${name} to time it again)`);
  } else await bench.drop();
}

function printPercentiles(label: string, unsorted: number[]) {
  const times = [...unsorted].sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`${label} p50 ${p(0.5).padStart(7)}  p95 ${p(0.95).padStart(7)}  p99 ${p(0.99).padStart(7)}`);
}

try {
  const assets = join(miniAppDist, "assets");
  const js = readdirSync(assets).filter((f) => f.endsWith(".js"));
  const gz = js.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
  console.log(`\nMini App JavaScript: ${(gz / 1024).toFixed(1)} KiB gzipped (${js.length} file(s))`);
} catch {
  console.log("\nMini App not built (npm run build) — no bundle size.");
}
