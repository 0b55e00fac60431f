import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../drizzle/client.js";
import { attachments, notifications, scheduledJobs } from "../../drizzle/schema/index.js";
import { openArchiveWriter } from "../../server/backup/archive.js";
import { DAILY_BACKUP_KEY, dailyBackupHandler, scheduleDailyBackup } from "../../server/backup/daily.js";
import { createBackup, RestoreRefused, restoreBackup } from "../../server/backup/index.js";
import { tablesInOrder } from "../../server/backup/logical.js";
import { addTicketMessage, changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { createTestDb, testDriver } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";

/**
 * npm run backup / restore: a populated database (tickets, messages, events,
 * notifications, attachments with their bytes) goes into one file and comes back
 * table for table, byte for byte, into an empty database; what must be refused is.
 */
let source: DbHandle & { url?: string };
let w: World;
let dir: string;
const fileBytes = new Map<string, Buffer>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "helpdesk-backup-test-"));
  source = await createTestDb();
  w = createWorld(source.db);
  const requester = await w.user("requester");
  const agent = await w.user("agent");
  for (let i = 0; i < 3; i++) {
    const t = await createTicket({
      ctx: w.ctx(requester),
      input: {
        title: `Printer ${i} «جام» \u{1F5A8}`,
        body: `It jams ${i}\nline two`,
        categoryId: await w.categoryId(),
      },
    });
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: t.id, body: `On it ${i}` } });
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "resolved" } });
    const key = `t/${t.id}/scan-${i}.pdf`;
    const bytes = randomBytes(50_000 + i);
    fileBytes.set(key, bytes);
    await mkdir(join(dir, "src", "files", "t", t.id), { recursive: true });
    await writeFile(join(dir, "src", "files", key), bytes);
    await source.db.insert(attachments).values({
      ticketId: t.id,
      uploaderId: requester.id,
      fileName: `scan-${i}.pdf`,
      mimeType: "application/pdf",
      sizeBytes: bytes.byteLength,
      storagePath: key,
      meta: { pages: i + 1 },
    });
  }
  await source.db.insert(notifications).values({ chatId: 42, type: "system", idempotencyKey: "backup-test" });
}, 60_000);

afterAll(async () => {
  await source?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every table's rows as sorted JSON text, and each serial sequence's position. */
async function contents(handle: DbHandle): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await tablesInOrder(handle.db)) {
    const result: unknown = await handle.db.execute(
      sql`select row_to_json(t)::text as j from ${sql.identifier(table)} t order by 1`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: { j: string }[] }).rows) as {
      j: string;
    }[];
    out[table] = rows.map((r) => r.j);
  }
  for (const seq of [
    "messages_seq_seq",
    "ticket_events_seq_seq",
    "notifications_seq_seq",
    "attachments_seq_seq",
  ]) {
    const result: unknown = await handle.db.execute(
      sql`select last_value::text as v from ${sql.identifier(seq)}`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: { v: string }[] }).rows) as {
      v: string;
    }[];
    out[`sequence ${seq}`] = rows.map((r) => r.v);
  }
  return out;
}

async function roundTrip(logical: boolean) {
  const file = join(dir, `backup-${logical ? "logical" : "native"}.hdb`);
  const summary = await createBackup(file, {
    handle: source,
    dataDir: join(dir, "src"),
    databaseUrl: source.url,
    logical,
  });
  expect(summary.files).toBe(3);
  const target = await createTestDb();
  const targetDir = join(dir, `dst-${logical}`);
  try {
    await restoreBackup(file, { handle: target, dataDir: targetDir, databaseUrl: target.url });
    const [before, after] = [await contents(source), await contents(target)];
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of Object.keys(before))
      expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    expect(before.tickets).toHaveLength(3);
    expect(before.ticket_events.length).toBeGreaterThan(3);
    for (const [key, bytes] of fileBytes)
      expect((await readFile(join(targetDir, "files", key))).equals(bytes)).toBe(true);
    // Restored sequences go on past the restored rows: a new message gets a new seq.
    const t = JSON.parse(after.tickets[0]) as { id: string };
    const tw = createWorld(target.db);
    const agent = await tw.user("agent");
    await addTicketMessage({ ctx: tw.ctx(agent), input: { ticketId: t.id, body: "after restore" } });
  } finally {
    await target.close();
  }
  return { file, summary };
}

describe("backup and restore", () => {
  it("round-trips every table and every attachment (per-table rows)", async () => {
    const { summary } = await roundTrip(true);
    expect(summary.database).toBe("logical");
    expect(summary.rows).toBeGreaterThan(10);
  }, 60_000);

  it.runIf(testDriver() === "postgres")(
    "round-trips through pg_dump / pg_restore on PostgreSQL",
    async () => {
      const { summary } = await roundTrip(false);
      expect(summary.database).toBe("pg_dump");
    },
    60_000,
  );

  it("refuses a database with data unless forced, a newer format and a newer version", async () => {
    const file = join(dir, "refusals.hdb");
    await createBackup(file, { handle: source, dataDir: join(dir, "src"), logical: true });
    await expect(restoreBackup(file, { handle: source, dataDir: join(dir, "src") })).rejects.toThrow(
      /already has users or tickets/,
    );

    const newer = join(dir, "newer.hdb");
    const header = { createdAt: "", driver: "pglite", database: "logical" } as const;
    const out = await openArchiveWriter(newer, { ...header, format: 99, migrations: 1 });
    await out.close();
    await expect(restoreBackup(newer, { handle: source, dataDir: dir, force: true })).rejects.toThrow(
      RestoreRefused,
    );
    const later = join(dir, "later.hdb");
    const out2 = await openArchiveWriter(later, { ...header, format: 1, migrations: 9999 });
    await out2.close();
    await expect(restoreBackup(later, { handle: source, dataDir: dir, force: true })).rejects.toThrow(
      /newer version/,
    );
    await writeFile(join(dir, "junk.hdb"), "not a backup");
    await expect(restoreBackup(join(dir, "junk.hdb"), { handle: source, dataDir: dir })).rejects.toThrow(
      /not a helpdesk backup/,
    );

    // Forced: the same database replaced by its own backup is unchanged.
    const before = await contents(source);
    await restoreBackup(file, { handle: source, dataDir: join(dir, "forced"), force: true });
    expect(await contents(source)).toEqual(before);
  }, 60_000);
});

describe("the daily backup job", () => {
  it("writes a file through the scheduler, keeps the newest N and schedules the next day", async () => {
    const backups = join(dir, "daily");
    const scheduler = createScheduler({
      db: source.db,
      clock: w.clock,
      system: () => w.system(),
      logger: pino({ level: "silent" }),
      handlers: {
        backup: dailyBackupHandler({
          handle: source,
          dir: backups,
          keep: 2,
          hourUtc: 3,
          dataDir: join(dir, "src"),
          logger: pino({ level: "silent" }),
        }),
      },
    });
    w.clock.set(new Date("2027-03-01T01:00:00Z"));
    await scheduleDailyBackup(source.db, w.clock.now(), 3);
    for (const day of ["01", "02", "03"]) {
      expect(await scheduler.runDue()).toBe(0); // not yet
      w.clock.set(new Date(`2027-03-${day}T03:00:05Z`));
      expect(await scheduler.runDue()).toBe(1);
    }
    const kept = (await readdir(backups)).sort();
    expect(kept).toEqual(["helpdesk-20270302-030005.hdb", "helpdesk-20270303-030005.hdb"]);
    const [job] = await source.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, DAILY_BACKUP_KEY));
    expect(job).toMatchObject({ state: "pending", runAt: new Date("2027-03-04T03:00:00Z") });
    // What it wrote is a backup restore reads.
    const target = await createTestDb();
    try {
      const s = await restoreBackup(join(backups, kept[1]), {
        handle: target,
        dataDir: join(dir, "daily-dst"),
      });
      expect(s.files).toBe(3);
    } finally {
      await target.close();
    }
  }, 60_000);
});
