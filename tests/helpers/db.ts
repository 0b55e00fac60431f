import { readFileSync } from "node:fs";
import { inject } from "vitest";
import { connectPostgres, createDb, type DbHandle, withDatabase } from "../../drizzle/client.js";

export type TestDriver = "pglite" | "postgres";
export const testDriver = (): TestDriver => (process.env.TEST_DRIVER === "postgres" ? "postgres" : "pglite");

/**
 * A fresh, migrated and seeded database for one test file: PGlite loaded from the
 * run's dump, or a PostgreSQL database cloned from the run's template.
 */
export async function createTestDb(): Promise<DbHandle & { url?: string }> {
  if (testDriver() === "pglite") {
    const bytes = readFileSync(inject("pgliteDumpPath"));
    return createDb({ DATA_DIR: "", pgliteDump: new Blob([bytes]) });
  }
  const url = process.env.TEST_DATABASE_URL;
  const template = inject("pgTemplateDb");
  if (!url || !template) throw new Error("TEST_DRIVER=postgres needs TEST_DATABASE_URL");
  const name = `helpdesk_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = connectPostgres(url, { max: 1 });
  await admin.unsafe(`create database ${name} template ${template}`);
  await admin.end();
  const handle = await createDb({ DATA_DIR: "", DATABASE_URL: withDatabase(url, name), maxConnections: 20 });
  return {
    ...handle,
    url: withDatabase(url, name),
    close: async () => {
      await handle.close();
      const a = connectPostgres(url, { max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
