/**
 * `npm run bench:assign`: 10,000 unassigned tickets (--tickets N) waiting in one
 * scope with a least-busy policy (--strategy round_robin for the other), 50 agents
 * (--agents N) with room for all of them, drained by the auto_assign job's drain
 * (each assignment its own transaction: pick and lock the agent, assign, event,
 * notifications, open → in progress). On an on-disk PGlite, or PostgreSQL with
 * DATABASE_URL. Prints assignments per second and the time per assignment (p50,
 * p95, from one commit to the next), and checks nobody went over capacity.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { createDb } from "../drizzle/client.js";
import { assignmentPolicies, tickets, users } from "../drizzle/schema/index.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import { rowsOf } from "../server/domain/delivery/budget.js";
import { createContextFactory, drainBranch, SYSTEM_ACTOR, systemClock } from "../server/domain/index.js";
import { createBenchDatabase } from "./bench-database.js";

const { values } = parseArgs({
  options: {
    tickets: { type: "string", default: "10000" },
    agents: { type: "string", default: "50" },
    strategy: { type: "string", default: "least_busy" },
  },
});
const total = Number(values.tickets);
const agentCount = Number(values.agents);
const strategy = values.strategy === "round_robin" ? "round_robin" : "least_busy";
const capacity = Math.ceil(total / agentCount) + 10;

const pg = process.env.DATABASE_URL ? await createBenchDatabase("bench_assign") : null;
const dir = pg ? null : mkdtempSync(join(tmpdir(), "bench-assign-"));
const handle = pg?.handle ?? (await createDb({ DATA_DIR: dir as string }));
if (!pg) await handle.migrate();
const db = handle.db;
await seedDefaults(db);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;

const [requester] = await db.insert(users).values({ telegramId: 1, firstName: "Bench" }).returning();
await db.insert(users).values(
  Array.from({ length: agentCount }, (_, i) => ({
    telegramId: 1000 + i,
    firstName: `Agent ${i}`,
    role: "agent" as const,
  })),
);
const category = await db.query.categories.findFirst();
// Tickets without a branch: the scope of the policy with branch null.
await db.insert(assignmentPolicies).values({ branchId: null, strategy, capacity });
const now = Date.now();
console.log(`seeding ${total} unassigned tickets, ${agentCount} agents (capacity ${capacity}, ${strategy})…`);
await db.execute(sql`
  insert into ${tickets} (number, title, category_id, requester_id, status, priority, created_at, updated_at)
  select 'T-ASG-' || i, 'Bench ticket ' || i, ${category?.id}, ${requester.id}, 'open', 'normal',
         to_timestamp(${now / 1000}) - make_interval(secs => ${total} - i), to_timestamp(${now / 1000})
  from generate_series(1, ${total}) as i`);
await db.execute(sql`analyze`);

// Each assignment commits, then announces itself: the gaps between announcements are the time per assignment.
const stamps: number[] = [];
const contexts = createContextFactory({
  db,
  clock: systemClock,
  settings: { timeZone: "Asia/Tehran", staffChatId: -100_500_002, maxFileBytes: 20 * 1024 * 1024 },
  notify: { changed: () => stamps.push(performance.now()) },
});
const system = { ...contexts.forSystem(), actor: SYSTEM_ACTOR };
const started = performance.now();
const assigned = await drainBranch(system, null, Number.POSITIVE_INFINITY);
const seconds = (performance.now() - started) / 1000;
const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
const load = rowsOf<{ most: number; least: number; waiting: number }>(
  await db.execute(sql`
    select max(n)::int as most, min(n)::int as least,
           (select count(*)::int from ${tickets} where assignee_id is null) as waiting
    from (select count(*) as n from ${tickets} where assignee_id is not null group by assignee_id) per_agent`),
)[0];
console.log(`
assigned:                 ${assigned}/${total} in ${seconds.toFixed(1)} s (${load.waiting} left waiting)
assignments per second:   ${(assigned / seconds).toFixed(0)}
time per assignment:      p50 ${ms(quantile(gaps, 0.5))}, p95 ${ms(quantile(gaps, 0.95))}, max ${ms(Math.max(...gaps))}
open tickets per agent:   ${load.least}–${load.most} (capacity ${capacity})
database: ${pg ? "PostgreSQL" : "PGlite (on disk)"}`);
if (load.most > capacity || assigned !== total) {
  console.error("FAILED: an agent over capacity, or tickets left waiting");
  process.exitCode = 1;
}
if (pg) await pg.drop();
else {
  await handle.close();
  rmSync(dir as string, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
