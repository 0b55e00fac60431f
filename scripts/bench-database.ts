import { connectPostgres, createDb, type DbHandle, withDatabase } from "../drizzle/client.js";

/**
 * A throw-away PostgreSQL database for a benchmark, next to DATABASE_URL (or
 * TEST_DATABASE_URL): created, migrated, and dropped by `drop()`.
 */
export async function createBenchDatabase(
  prefix: string,
  /** Unset: as many as the product opens by default (drizzle/client.ts, defaultPoolSize). */
  maxConnections?: number,
  /** The database's whole name (where names must carry a given prefix); unset: helpdesk_<prefix>_<time>. */
  fullName?: string,
): Promise<{ handle: DbHandle; drop(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    console.error(
      `${prefix} needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)`,
    );
    process.exit(1);
  }
  const name = fullName ?? `helpdesk_${prefix.replace(/\W/g, "_")}_${Date.now()}`;
  const admin = connectPostgres(baseUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  const handle = await createDb({ DATA_DIR: "", DATABASE_URL: withDatabase(baseUrl, name), maxConnections });
  await handle.migrate();
  return {
    handle,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * A database an earlier run kept (--keep), opened and migrated (so new indexes or
 * rollups are built) but not seeded again: seeding a million tickets takes many minutes.
 */
export async function reuseBenchDatabase(name: string): Promise<{ handle: DbHandle; drop(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    console.error("--database needs PostgreSQL: set DATABASE_URL");
    process.exit(1);
  }
  const handle = await createDb({ DATA_DIR: "", DATABASE_URL: withDatabase(baseUrl, name) });
  await handle.migrate();
  return { handle, drop: () => handle.close() };
}
