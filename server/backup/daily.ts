import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DbHandle } from "../../drizzle/client.js";
import { type Db, type ServiceContext, scheduleJob } from "../domain/index.js";
import type { Logger } from "../logger.js";
import { createBackup } from "./index.js";

export const DAILY_BACKUP_KEY = "backup:daily";
const NAME = /^helpdesk-\d{8}-\d{6}\.hdb$/;

/** The next time the clock reads `hourUtc`:00 UTC, strictly after `now`. */
export function nextBackupAt(now: Date, hourUtc: number): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (at <= now) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

/** Puts the daily backup on the schedule (at start; the same key again only moves it). */
export async function scheduleDailyBackup(db: Db, now: Date, hourUtc: number): Promise<void> {
  await scheduleJob(db, { kind: "backup", key: DAILY_BACKUP_KEY, runAt: nextBackupAt(now, hourUtc) });
}

export interface DailyBackupOptions {
  handle: Pick<DbHandle, "db" | "driver">;
  dir: string;
  keep: number;
  hourUtc: number;
  dataDir: string;
  databaseUrl?: string;
  logger: Logger;
}

/**
 * The `backup` job: one file in BACKUP_DIR named by its UTC time, the oldest beyond
 * `keep` removed, and the next day's run scheduled (the durable scheduler runs it
 * once across instances; inside the server, so PGlite's one process is respected).
 */
export function dailyBackupHandler(opts: DailyBackupOptions) {
  return async (ctx: ServiceContext): Promise<void> => {
    const now = ctx.clock.now();
    await mkdir(opts.dir, { recursive: true });
    const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const file = join(opts.dir, `helpdesk-${stamp}.hdb`);
    const summary = await createBackup(file, {
      handle: opts.handle,
      dataDir: opts.dataDir,
      databaseUrl: opts.databaseUrl,
    });
    const old = (await readdir(opts.dir)).filter((f) => NAME.test(f)).sort();
    for (const f of old.slice(0, Math.max(0, old.length - opts.keep)))
      await rm(join(opts.dir, f), { force: true });
    opts.logger.info({ file, files: summary.files, database: summary.database }, "daily backup written");
    await scheduleDailyBackup(ctx.db, now, opts.hourUtc);
  };
}
