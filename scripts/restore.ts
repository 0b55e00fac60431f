/**
 * `npm run restore -- <file> [--force]`: puts a backup back (docs/OPERATIONS.md,
 * "Backup and restore"). Stop the server first. Without --force a database that has
 * users or tickets is left alone.
 */
import { createDb } from "../drizzle/client.js";
import { RestoreRefused, restoreBackup } from "../server/backup/index.js";
import { loadConfig } from "../server/config.js";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("usage: npm run restore -- <file> [--force]");
  process.exit(2);
}
const config = loadConfig();
const handle = await createDb(config);
try {
  const s = await restoreBackup(file, {
    handle,
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    force: args.includes("--force"),
  });
  const rows = s.header.database === "pg_dump" ? "pg_restore done" : `${s.rows} rows`;
  console.log(
    `restored ${file} (made ${s.header.createdAt} on ${s.header.driver}): ${rows}, ${s.files} attachments`,
  );
} catch (err) {
  if (!(err instanceof RestoreRefused)) throw err;
  console.error(`restore refused: ${err.message}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
