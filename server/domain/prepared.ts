import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../../drizzle/client.js";

/**
 * Statements of the hot paths, prepared once per database (with placeholders)
 * instead of built for every call: drizzle's query building costs the process
 * more CPU than postgres.js spends running the query (~150 µs against ~70 µs
 * for a small select on a 2-core VM). `build` runs on first use for each database.
 */
export function preparedPerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statements = built.get(db);
    if (!statements) {
      statements = build(db);
      built.set(db, statements);
    }
    return statements;
  };
}

/**
 * Every column of a table, read from a CTE or subquery that returns that table's
 * rows: a select of it then maps them as the table's own (dates, enums).
 */
export function columnsOf<T extends PgTable>(source: object, table: T) {
  const keys = Object.keys(getTableColumns(table));
  const fields = source as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, fields[k]])) as ReturnType<typeof getTableColumns<T>>;
}
