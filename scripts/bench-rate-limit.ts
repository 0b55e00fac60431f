import { createDb, type DbHandle } from "../drizzle/client.js";
import { bucketKey, takeToken } from "../server/domain/index.js";
import { createBenchDatabase } from "./bench-database.js";

/**
 * What one rate-limit take costs (server/domain/rate-limits/take.ts): the upsert
 * every limited HTTP request and every private bot message runs. Sequential
 * takes over 1,000 keys (a row each, as many clients), then on one key (its row
 * lock), on PGlite in memory and, with DATABASE_URL set, on PostgreSQL.
 * Prints figures; asserts nothing.
 *
 *   npm run bench:rate-limit                      # PGlite
 *   DATABASE_URL=postgres://… npm run bench:rate-limit   # and PostgreSQL (ONLY=postgres: just it)
 */
const TAKES = Number(process.env.TAKES ?? 5000);
const spec = { perMinute: 600, burst: 100 };

async function measure(label: string, handle: DbHandle) {
  const { db } = handle;
  for (let i = 0; i < 200; i++) await takeToken(db, bucketKey("warm", spec, i), spec);
  for (const [what, keyOf] of [
    ["1,000 keys", (i: number) => bucketKey("bench", spec, i % 1000)],
    ["one key", () => bucketKey("bench-one", spec, "x")],
  ] as const) {
    const times: number[] = [];
    let refused = 0;
    const started = performance.now();
    for (let i = 0; i < TAKES; i++) {
      const t0 = performance.now();
      const r = await takeToken(db, keyOf(i), spec);
      times.push(performance.now() - t0);
      if (!r.granted) refused++;
    }
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
    console.log(
      `${label}, ${what}: ${TAKES} takes in ${total.toFixed(0)} ms → mean ${(total / TAKES).toFixed(3)} ms, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms (${refused} refused)`,
    );
  }
}

if (process.env.ONLY !== "postgres") {
  const pglite = await createDb({ DATA_DIR: "", inMemory: true });
  await pglite.migrate();
  await measure("PGlite", pglite);
  await pglite.close();
}
if (process.env.DATABASE_URL) {
  const pg = await createBenchDatabase("bench_rate_limit");
  try {
    await measure("PostgreSQL", pg.handle);
  } finally {
    await pg.drop();
  }
}
