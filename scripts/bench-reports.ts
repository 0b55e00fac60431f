/**
 * `npm run bench:reports`: --tickets N (default 1,000,000) tickets over the last year
 * with 5 messages each, their finishes and reopenings, ratings and SLA clocks, seeded
 * with generate_series on PostgreSQL (DATABASE_URL; a throw-away database). Prints
 * each report's p50/p95 over --runs (default 10) for an admin (everything) and a
 * branch auditor (a fifth), the default range (the last 30 days); then a CSV export
 * of every ticket (MB/s, peak RSS) and, with --xlsx N, an XLSX export of N tickets.
 * --database NAME times the reports on a database an earlier --keep run left, without
 * seeding it again (it is migrated first, so new indexes and rollups are built);
 * --database NAME --seed seeds an empty database created beforehand (a name of one's own).
 * Every screen is also timed with a label filter (`labelId` = --label, by default
 * "bench-exam", on a fifteenth of the tickets; "bench-billing" is on a third).
 * --calendar also times the timings with a default business calendar (Saturday to
 * Wednesday 08:00–17:00 Tehran, a holiday), which is removed again afterwards;
 * --only TEXT times only the screens whose name contains TEXT.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { businessCalendars, labels, tickets, users } from "../drizzle/schema/index.js";
import { seedDefaults } from "../server/domain/catalog/seed.js";
import {
  createContextFactory,
  getAgentsReport,
  getBreakdownReport,
  getCsatReport,
  getSlaReport,
  getTimingsReport,
  getVolumeReport,
  rebuildBusinessHours,
  rebuildReportRollups,
  reportTables,
  systemClock,
  TICKET_EXPORT_COLUMNS,
  walkTicketsForExport,
} from "../server/domain/index.js";
import { csvHeader, csvLine } from "../server/http/export/csv.js";
import { streamWorkbook } from "../server/http/export/xlsx.js";
import { createI18n } from "../server/i18n.js";
import { createBenchDatabase, reuseBenchDatabase } from "./bench-database.js";

const { values } = parseArgs({
  options: {
    tickets: { type: "string", default: "1000000" },
    runs: { type: "string", default: "10" },
    xlsx: { type: "string", default: "100000" },
    keep: { type: "boolean", default: false },
    database: { type: "string" },
    /** With --database: seed that (empty, created beforehand) database instead of reusing its data. */
    seed: { type: "boolean", default: false },
    /** Only the reports' timings (no CSV or XLSX export). */
    "reports-only": { type: "boolean", default: false },
    /** Also time the timings' business hours with a default business calendar. */
    calendar: { type: "boolean", default: false },
    /** Only the screens whose name contains this text. */
    only: { type: "string" },
    /** The label of the label-filtered screens: bench-exam (a fifteenth of the tickets) or bench-billing (a third). */
    label: { type: "string", default: "bench-exam" },
  },
});
const total = Number(values.tickets);
const runs = Number(values.runs);
const reused = values.database;
const pg = reused ? await reuseBenchDatabase(reused) : await createBenchDatabase("bench_reports");
const db = pg.handle.db;
const t0 = performance.now();
const secs = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

const { admin, auditor } = reused && !values.seed ? await benchUsers() : await seed();

/** Everything the reports read: tickets, messages, history, ratings, SLA clocks. */
async function seed() {
  await seedDefaults(db);
  console.log(`seeding ${total.toLocaleString("en")} tickets, ${(total * 5).toLocaleString("en")} messages…`);
  await db.execute(
    sql`insert into branches (code, name) select 'b' || i, jsonb_build_object('fa', 'شعبه ' || i, 'en', 'Branch ' || i) from generate_series(1, 5) i`,
  );
  await db.execute(sql`
  insert into users (telegram_id, first_name, role, branch_id)
  select 1000 + i, 'Agent ' || i, 'agent', (select id from branches order by code offset (i % 5) limit 1)
  from generate_series(1, 20) i`);
  await db.execute(sql`
  insert into users (telegram_id, first_name, role) select 100000 + i, 'Person ' || i, 'requester' from generate_series(1, 2000) i`);
  const [admin] = await db
    .insert(users)
    .values({ telegramId: 1, firstName: "Admin", role: "admin" })
    .returning();
  const [branch] = rowsOf<{ id: string }>(await db.execute(sql`select id from branches where code = 'b1'`));
  const [auditor] = await db
    .insert(users)
    .values({ telegramId: 2, firstName: "Auditor", role: "auditor", branchId: branch.id })
    .returning();
  // Secondary indexes are dropped for the load and built once after it: maintaining
  // them row by row made seeding a million tickets take 11 to 25 minutes.
  const indexes = rowsOf<{ name: string; def: string }>(
    await db.execute(sql`
    select indexname as name, indexdef as def from pg_indexes i
    where schemaname = 'public' and tablename in ('tickets', 'messages', 'ticket_events', 'ticket_ratings',
                                                   'report_ticket_facts', 'report_responses', 'report_agent_facts',
                                                   'report_group_facts', 'report_label_facts',
                                                   'report_label_responses', 'report_label_agent_facts')
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`),
  );
  for (const { name } of indexes) await db.execute(sql.raw(`drop index "${name}"`));
  const factIndexes = indexes.filter((i) => / ON public\.report_/.test(i.def));
  const rawIndexes = indexes.filter((i) => !factIndexes.includes(i));
  // Without the rollups' state row the triggers do nothing: they are built once after the load.
  await db.execute(sql`delete from report_rollup_state`);
  // Every ticket: created over the last year (newest first), a branch, category, priority,
  // requester and agent by its number; 95% answered, 90% finished (most closed 3 days on).
  await load(sql`
  with a as (select array_agg(id order by telegram_id) ids from users where role = 'agent'),
       r as (select array_agg(id order by telegram_id) ids from users where role = 'requester'),
       b as (select array_agg(id order by code) ids from branches),
       c as (select array_agg(id order by code) ids from categories),
       s as (select i, now() - make_interval(secs => i * (31536000.0 / ${total})) as created from generate_series(1, ${total}) i)
  insert into tickets (number, title, status, priority, category_id, branch_id, requester_id, assignee_id,
                       created_at, updated_at, first_response_at, resolved_at, closed_at, resolution_count, rating, sla_state,
                       sla_clock, requester_channel)
  select 'B-' || i, 'Bench ticket ' || i,
         (case when i % 10 = 0 then 'open' when i % 10 = 1 then 'resolved' else 'closed' end)::ticket_status,
         (array['low','normal','high','critical'])[1 + i % 4]::priority,
         c.ids[1 + i % array_length(c.ids, 1)], b.ids[1 + i % 5], r.ids[1 + i % 2000], a.ids[1 + i % 20],
         created, created + interval '3 days',
         case when i % 20 = 0 then null else created + make_interval(mins => 5 + i % 600) end,
         case when i % 10 = 0 then null else created + make_interval(mins => 60 + i % 4000) end,
         case when i % 10 in (0, 1) then null else created + make_interval(mins => 60 + i % 4000) + interval '3 days' end,
         case when i % 10 = 0 then 0 else 1 end,
         case when i % 10 <> 0 and i % 5 < 2 then 1 + i % 5 end,
         (array['met','breached','on_track','at_risk'])[1 + i % 4],
         -- The first-response clock as the SLA code stores it, written with the row (not a second pass).
         case when i % 20 <> 0 then jsonb_build_object('pauses', '[]'::jsonb, 'targets', jsonb_build_object(
           'first_response', jsonb_build_object('startedAt', created, 'endedAt', created + make_interval(mins => 5 + i % 600),
             'state', case when i % 4 = 1 then 'met_late' else 'met' end))) end,
         -- Where the requester first wrote (their message k = 0 below), as the triggers would store it.
         ${benchSource(sql`i`)}
  from s, a, b, c, r`);
  console.log(`  tickets ${secs(t0)}`);
  await load(sql`
  insert into messages (ticket_id, author_id, body, source, created_at)
  select t.id, case when k % 2 = 0 then t.requester_id else t.assignee_id end, 'Message ' || k,
         case when k % 2 = 0 then ${benchSource(sql`substr(t.number, 3)::int`)} else 'bot' end,
         t.created_at + make_interval(mins => k * (10 + (hashtext(t.number) & 127)))
  from tickets t cross join generate_series(0, 4) k`);
  console.log(`  messages ${secs(t0)}`);
  await load(sql`
  insert into ticket_events (ticket_id, actor_id, kind, from_value, to_value, created_at)
  select id, assignee_id, 'status'::event_kind, 'in_progress', 'resolved', resolved_at from tickets where resolved_at is not null
  union all
  select id, assignee_id, 'status'::event_kind, 'resolved', 'closed', closed_at from tickets where closed_at is not null
  union all
  select id, null::uuid, 'sla_breach'::event_kind, null, 'first_response', created_at + interval '8 hours' from tickets where sla_state = 'breached'`);
  await load(sql`
  insert into ticket_ratings (ticket_id, resolution, score, created_at, updated_at)
  select id, 1, rating, resolved_at + interval '1 hour', resolved_at + interval '1 hour' from tickets where rating is not null`);
  await seedLabels();
  for (const { def } of rawIndexes) await load(sql.raw(def));
  await db.execute(sql`analyze tickets, messages, ticket_events, ticket_ratings`);
  console.log(`  ${rawIndexes.length} indexes built ${secs(t0)}`);
  await rebuildReportRollups(db, "Asia/Tehran");
  for (const { def } of factIndexes) await load(sql.raw(def));
  console.log(`  report rollups and staff facts built ${secs(t0)}`);
  await db.execute(sql`analyze`);
  console.log(`  seeded in ${secs(t0)}`);
  return { admin, auditor };
}

/**
 * One statement of the bulk load, without triggers (session_replication_role =
 * replica: the foreign keys' checks and the rollups' deferred triggers, which would
 * queue an event per row; the rows are generated consistent and the rollups are built
 * once after the load), without waiting for the WAL flush, and with room to sort for
 * an index build.
 */
async function load(statement: ReturnType<typeof sql>) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
    await tx.execute(statement);
  });
}

/** The requester's messages' source by ticket number: a tenth the Mini App, a twentieth the staff chat, else the bot. */
function benchSource(i: ReturnType<typeof sql>) {
  return sql`(case when ${i} % 10 = 3 then 'miniapp' when ${i} % 20 = 7 then 'staff_chat' else 'bot' end)`;
}

/** Three labels on a third of the tickets (a fifth of those with two), for the breakdown by label. */
async function seedLabels() {
  await db.execute(sql`
  insert into labels (name, color) values ('bench-exam', '#E53935'), ('bench-billing', '#43A047'), ('bench-parent', '#1E88E5')
  on conflict (name) do nothing`);
  await load(sql`
  with l as (select array_agg(id order by name) ids from labels where name like 'bench-%')
  insert into ticket_labels (ticket_id, label_id)
  select t.id, l.ids[1 + k] from tickets t, l, generate_series(0, 1) k
  where t.number like 'B-%' and substr(t.number, 3)::int % 3 = 0 and (k = 0 or substr(t.number, 3)::int % 5 = 0)
  on conflict do nothing`);
}

/** The admin and the branch auditor a kept database was seeded with. */
async function benchUsers() {
  const [admin] = await db.select().from(users).where(eq(users.telegramId, 1));
  const [auditor] = await db.select().from(users).where(eq(users.telegramId, 2));
  console.log(`reusing ${reused}: ${(await db.$count(tickets)).toLocaleString("en")} tickets`);
  return { admin, auditor };
}

const contexts = createContextFactory({
  db,
  clock: systemClock,
  settings: { timeZone: "Asia/Tehran", staffChatId: null, maxFileBytes: 20 << 20 },
  notify: { changed: () => {} },
});
const quantile = (xs: number[], q: number) =>
  [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const reports = {
  volume: getVolumeReport,
  timings: getTimingsReport,
  sla: getSlaReport,
  csat: getCsatReport,
  agents: getAgentsReport,
  breakdown: getBreakdownReport,
} as const;
const [examLabel] = await db.select().from(labels).where(eq(labels.name, values.label));
console.log(
  `label filter: ${values.label}, on ${(await db.$count(sql`ticket_labels`, sql`label_id = ${examLabel.id}`)).toLocaleString("en")} tickets`,
);
type Screen = [string, keyof typeof reports, Record<string, string>];
/** Each screen's read, with the breakdown also by label and by channel; then each with a label filter. */
const plain: Screen[] = [
  ...Object.keys(reports).map((name): Screen => [name, name as keyof typeof reports, {}]),
  ["breakdown by label", "breakdown", { by: "label" }],
  ["breakdown by channel", "breakdown", { by: "channel" }],
];
const screens: Screen[] = [
  ...plain,
  ...plain.map(
    ([label, name, input]): Screen => [`${label} (label)`, name, { ...input, labelId: examLabel.id }],
  ),
].filter(([label]) => !values.only || label.includes(values.only));
console.log(`\nreport (last 30 days)             admin p50 / p95       branch auditor p50 / p95`);
await timeScreens(screens);
if (values.calendar) {
  // A default calendar: business hours are then counted for every timings report.
  const [calendar] = await db
    .insert(businessCalendars)
    .values({
      name: "bench",
      timeZone: "Asia/Tehran",
      week: Object.fromEntries(["6", "0", "1", "2", "3"].map((d) => [d, [["08:00", "17:00"]]])),
      holidays: [new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10)],
    })
    .returning();
  try {
    // The calendar's business seconds stored in the facts, as its job would (docs/REPORTS.md "Business hours").
    const built = performance.now();
    await rebuildBusinessHours(db, new Date());
    console.log(`business seconds stored in ${secs(built)}`);
    const business = (await getTimingsReport({ ctx: contexts.forUser(admin), input: {} })).businessHours;
    console.log(`business hours counted: ${business ? "yes" : "no (over the row limit)"}`);
    await timeScreens(
      [
        ["timings (business hours)", "timings", {}],
        ["timings (business, label)", "timings", { labelId: examLabel.id }],
      ].filter(([label]) => !values.only || String(label).includes(values.only)) as Screen[],
    );
  } finally {
    await db.delete(businessCalendars).where(eq(businessCalendars.id, calendar.id));
  }
}

async function timeScreens(list: Screen[]) {
  for (const [label, name, input] of list) {
    const read = reports[name];
    const cells: string[] = [];
    for (const who of [admin, auditor]) {
      const ctx = contexts.forUser(who);
      await read({ ctx, input }); // warm
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        const report = await read({ ctx, input });
        reportTables(name, report as never);
        times.push(performance.now() - s);
      }
      cells.push(
        `${quantile(times, 0.5).toFixed(0).padStart(5)} / ${quantile(times, 0.95).toFixed(0).padStart(5)} ms`,
      );
    }
    console.log(`${label.padEnd(32)}  ${cells[0]}      ${cells[1]}`);
  }
}

if (values["reports-only"]) {
  // A reused database is only closed by drop(); a fresh one is dropped unless --keep.
  if (values.keep) await pg.handle.close();
  else await pg.drop();
  process.exit(0);
}
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const i18n = await createI18n("fa");
const locale = { t: i18n.getFixedT("fa"), language: "fa", timeZone: "Asia/Tehran" };
const ctx = contexts.forUser(admin);
const rssBefore = process.memoryUsage().rss;
peakRss = rssBefore;
const out = createWriteStream("/dev/null");
let bytes = 0;
let rows = 0;
const s = performance.now();
const write = async (text: string) => {
  bytes += Buffer.byteLength(text);
  if (!out.write(text)) await once(out, "drain");
};
await write(`\uFEFF${csvHeader(locale, TICKET_EXPORT_COLUMNS)}`);
for await (const batch of walkTicketsForExport({ ctx, input: { sort: "created_desc" } })) {
  rows += batch.length;
  await write(batch.map((r) => csvLine(locale, TICKET_EXPORT_COLUMNS, r as never)).join(""));
}
const csvS = (performance.now() - s) / 1000;
console.log(
  `\nCSV export of ${rows.toLocaleString("en")} tickets: ${(bytes / 1e6).toFixed(0)} MB in ${csvS.toFixed(1)} s = ${(bytes / 1e6 / csvS).toFixed(1)} MB/s; RSS before ${(rssBefore / 2 ** 20).toFixed(0)} MiB, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
);

const xlsxRows = Number(values.xlsx);
if (xlsxRows > 0) {
  peakRss = process.memoryUsage().rss;
  const before = peakRss;
  const xs = performance.now();
  let n = 0;
  let size = 0;
  const body = streamWorkbook(
    locale,
    async (book) => {
      const ws = book.sheet("tickets", TICKET_EXPORT_COLUMNS);
      for await (const batch of walkTicketsForExport({ ctx, input: { sort: "created_desc" } })) {
        await book.rows(ws, TICKET_EXPORT_COLUMNS, batch as never);
        n += batch.length;
        if (n >= xlsxRows) break;
      }
      ws.commit();
    },
    (e) => console.error(e),
  );
  for await (const chunk of body) size += chunk.byteLength;
  const xS = (performance.now() - xs) / 1000;
  console.log(
    `XLSX export of ${n.toLocaleString("en")} tickets: ${(size / 1e6).toFixed(1)} MB in ${xS.toFixed(1)} s (${Math.round(n / xS).toLocaleString("en")} rows/s); RSS before ${(before / 2 ** 20).toFixed(0)} MiB, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
}
clearInterval(sampler);
if (values.keep) console.log("kept the database (--keep)");
else await pg.drop();
process.exit(0);

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
