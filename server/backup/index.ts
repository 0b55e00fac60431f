import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative, sep } from "node:path";
import { promisify } from "node:util";
import type { DbHandle } from "../../drizzle/client.js";
import { type BackupHeader, FORMAT_VERSION, openArchiveReader, openArchiveWriter } from "./archive.js";
import { appliedMigrations, dumpTables, hasData, knownMigrations, loadTables } from "./logical.js";

const run = promisify(execFile);

export interface BackupOptions {
  handle: Pick<DbHandle, "db" | "driver">;
  /** DATA_DIR: attachments are under DATA_DIR/files. */
  dataDir: string;
  /** DATABASE_URL, for pg_dump. */
  databaseUrl?: string;
  /** Per-table rows even when pg_dump is there (a backup to restore into the other driver). */
  logical?: boolean;
}

export interface BackupSummary {
  file: string;
  database: BackupHeader["database"];
  tables: number;
  rows: number;
  files: number;
  fileBytes: number;
}

/** Whether a program answers `--version` (pg_dump, pg_restore on PATH). */
async function onPath(program: string): Promise<boolean> {
  try {
    await run(program, ["--version"]);
    return true;
  } catch {
    return false;
  }
}

/** The attachment files under DATA_DIR/files, as paths relative to it with "/". */
async function attachmentFiles(root: string): Promise<string[]> {
  try {
    await stat(root);
  } catch {
    return [];
  }
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/**
 * Writes one backup file: the database (pg_dump's custom format on PostgreSQL when
 * pg_dump is on PATH, else every table's rows as JSON), then every attachment.
 */
export async function createBackup(file: string, opts: BackupOptions): Promise<BackupSummary> {
  const { handle } = opts;
  const usePgDump =
    handle.driver === "postgres" && !opts.logical && !!opts.databaseUrl && (await onPath("pg_dump"));
  const header: BackupHeader = {
    format: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    driver: handle.driver,
    database: usePgDump ? "pg_dump" : "logical",
    migrations: await appliedMigrations(handle.db),
  };
  const summary: BackupSummary = {
    file,
    database: header.database,
    tables: 0,
    rows: 0,
    files: 0,
    fileBytes: 0,
  };
  const out = await openArchiveWriter(file, header);
  try {
    if (usePgDump) {
      const dir = await mkdtemp(join(tmpdir(), "helpdesk-backup-"));
      try {
        const dump = join(dir, "db.pgdump");
        await run(
          "pg_dump",
          [
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            dump,
            "--dbname",
            opts.databaseUrl ?? "",
          ],
          {
            maxBuffer: 64 << 20,
          },
        );
        await out.record("pg_dump", "database", await readFile(dump));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } else {
      await dumpTables(handle.db, async ({ table, rows, bytes }) => {
        summary.tables++;
        summary.rows += rows;
        await out.record("table", table, bytes);
      });
    }
    const root = join(opts.dataDir, "files");
    for (const name of await attachmentFiles(root)) {
      const bytes = await readFile(join(root, name));
      summary.files++;
      summary.fileBytes += bytes.byteLength;
      await out.record("file", name, bytes);
    }
  } finally {
    await out.close();
  }
  return summary;
}

export interface RestoreOptions extends Omit<BackupOptions, "handle"> {
  handle: DbHandle;
  /** Replace a database that has users or tickets (and the attachments folder). */
  force?: boolean;
}

export interface RestoreSummary {
  header: BackupHeader;
  rows: number;
  files: number;
}

export class RestoreRefused extends Error {}

/**
 * Puts a backup back: refuses a file of a newer format or from newer code (more
 * migrations than this version knows), and a database with users or tickets
 * unless forced. The database is replaced in one transaction (logical) or by
 * pg_restore --single-transaction, then migrated to this version; attachments are
 * written after it (forced: the old folder is emptied first).
 */
export async function restoreBackup(file: string, opts: RestoreOptions): Promise<RestoreSummary> {
  const { handle } = opts;
  const { header, records } = await openArchiveReader(file);
  if (typeof header.format !== "number" || header.format > FORMAT_VERSION)
    throw new RestoreRefused(
      `the backup's format is ${header.format}, this version reads up to ${FORMAT_VERSION}: restore it with a newer version`,
    );
  if (header.migrations > knownMigrations())
    throw new RestoreRefused(
      `the backup comes from a newer version (${header.migrations} migrations, this one knows ${knownMigrations()}): upgrade first`,
    );
  if (!opts.force && (await hasData(handle.db)))
    throw new RestoreRefused("the database already has users or tickets: pass --force to replace them");
  if (header.database === "pg_dump" && (handle.driver !== "postgres" || !opts.databaseUrl))
    throw new RestoreRefused("this backup was made with pg_dump: restore it into PostgreSQL (DATABASE_URL)");

  const tables = new Map<string, Buffer>();
  const files: { name: string; bytes: Buffer }[] = [];
  let pgDump: Buffer | null = null;
  for await (const r of records) {
    if (r.type === "table") tables.set(r.name, r.bytes);
    else if (r.type === "pg_dump") pgDump = r.bytes;
    else if (r.type === "file") files.push({ name: r.name, bytes: r.bytes });
  }

  let rows = 0;
  if (header.database === "pg_dump") {
    if (!pgDump) throw new Error("the backup has no database record");
    if (!(await onPath("pg_restore"))) throw new RestoreRefused("pg_restore is not on PATH");
    const dir = await mkdtemp(join(tmpdir(), "helpdesk-restore-"));
    try {
      const dump = join(dir, "db.pgdump");
      await writeFile(dump, pgDump);
      await run(
        "pg_restore",
        [
          "--clean",
          "--if-exists",
          "--no-owner",
          "--no-privileges",
          "--single-transaction",
          "--dbname",
          opts.databaseUrl ?? "",
          dump,
        ],
        { maxBuffer: 64 << 20 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else {
    await handle.migrate();
    for (const n of (await loadTables(handle.db, tables)).values()) rows += n;
  }
  // A backup of older code gets this version's later migrations.
  await handle.migrate();

  const root = join(opts.dataDir, "files");
  if (opts.force) await rm(root, { recursive: true, force: true });
  for (const f of files) {
    const path = normalize(join(root, f.name));
    if (!path.startsWith(root + sep)) throw new Error(`a file outside the attachments folder: ${f.name}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.bytes);
  }
  return { header, rows, files: files.length };
}
