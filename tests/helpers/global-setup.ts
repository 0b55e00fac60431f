import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { connectPostgres, createDb, withDatabase } from "../../drizzle/client.js";
import { seedDefaults } from "../../server/domain/catalog/seed.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDumpPath: string;
    pgTemplateDb: string | null;
  }
}

/**
 * Migrating PGlite takes seconds; doing it once per run and loading the dumped
 * data dir in each test file keeps the suite fast. On PostgreSQL the same idea
 * is a migrated template database that each test file clones.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "helpdesk-test-"));
  const handle = await createDb({ DATA_DIR: dir, inMemory: true });
  await handle.migrate();
  await seedDefaults(handle.db);
  const dump = await handle.pglite!.dumpDataDir("none");
  const dumpPath = join(dir, "migrated.tar");
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("pgliteDumpPath", dumpPath);

  let template: string | null = null;
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    template = `helpdesk_tpl_${process.pid}`;
    const admin = connectPostgres(url, { max: 1 });
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.unsafe(`create database ${template}`);
    const tpl = await createDb({
      DATA_DIR: dir,
      DATABASE_URL: withDatabase(url, template),
      maxConnections: 2,
    });
    await tpl.migrate();
    await seedDefaults(tpl.db);
    await tpl.close();
    await admin.end();
  }
  project.provide("pgTemplateDb", template);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (url && template) {
      const admin = connectPostgres(url, { max: 1 });
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    }
  };
}
