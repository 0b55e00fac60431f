/**
 * `npm run backup -- <file> [--logical]`: the database and the attachments in one
 * file (docs/OPERATIONS.md, "Backup and restore"). On PGlite stop the server first:
 * one data directory is one process's.
 */
import { createDb } from "../drizzle/client.js";
import { createBackup } from "../server/backup/index.js";
import { loadConfig } from "../server/config.js";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("usage: npm run backup -- <file> [--logical]");
  process.exit(2);
}
const config = loadConfig();
const handle = await createDb(config);
try {
  const started = performance.now();
  const s = await createBackup(file, {
    handle,
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    logical: args.includes("--logical"),
  });
  const what = s.database === "pg_dump" ? "pg_dump archive" : `${s.tables} tables, ${s.rows} rows`;
  console.log(
    `backup written to ${s.file}: ${what}, ${s.files} attachments (${s.fileBytes} bytes) in ${Math.round(performance.now() - started)} ms`,
  );
} finally {
  await handle.close();
}
