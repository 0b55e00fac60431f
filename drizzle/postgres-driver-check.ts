import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * Whether the installed postgres.js carries the closed-socket fix that
 * scripts/patch-postgres.mjs applies at `npm install` (without it, PostgreSQL
 * dropping a connection can end the process). False as well when the file
 * cannot be read: the caller only warns.
 */
export function postgresDriverPatched(): boolean {
  try {
    const entry = createRequire(import.meta.url).resolve("postgres");
    return readFileSync(entry.replace(/index\.js$/, "connection.js"), "utf8").includes("helpdesk-patch");
  } catch {
    return false;
  }
}
