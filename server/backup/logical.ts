import { readFileSync } from "node:fs";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../drizzle/client.js";
import { migrationsFolder } from "../../drizzle/client.js";

/** postgres.js answers an array, PGlite `{ rows }`. */
async function query<T>(db: Pick<Db, "execute">, statement: SQL): Promise<T[]> {
  const result: unknown = await db.execute(statement);
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** The migrations this code knows (drizzle's journal). */
export function knownMigrations(): number {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8"));
  return journal.entries.length as number;
}

/** The migrations applied to the database (0 when it has none yet). */
export async function appliedMigrations(db: Db): Promise<number> {
  const [exists] = await query<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists?.t) return 0;
  const [row] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(row?.n ?? 0);
}

/** Whether the database holds a helpdesk's data: any user or ticket. */
export async function hasData(db: Db): Promise<boolean> {
  const [t] = await query<{ users: string | null; tickets: string | null }>(
    db,
    sql`select to_regclass('public.users')::text as users, to_regclass('public.tickets')::text as tickets`,
  );
  if (!t?.users || !t.tickets) return false;
  const [row] = await query<{ any: boolean }>(
    db,
    sql`select exists(select 1 from users) or exists(select 1 from tickets) as any`,
  );
  return row?.any === true;
}

/** Every table of the product (schema public), parents before children (foreign keys). */
export async function tablesInOrder(db: Pick<Db, "execute">): Promise<string[]> {
  const tables = (
    await query<{ name: string }>(
      db,
      sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    )
  ).map((r) => r.name);
  const edges = await query<{ child: string; parent: string }>(
    db,
    sql`select c.relname as child, p.relname as parent from pg_constraint k
        join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        join pg_namespace n on n.oid = c.relnamespace
        where k.contype = 'f' and n.nspname = 'public' and k.conrelid <> k.confrelid`,
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (placed.has(t) || path.has(t)) return; // a cycle: its order is left as found
    path.add(t);
    for (const e of edges) if (e.child === t) visit(e.parent, path);
    placed.add(t);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

/** The columns a row is written to: not generated ones. */
async function writableColumns(db: Pick<Db, "execute">, table: string): Promise<string[]> {
  return (
    await query<{ name: string }>(
      db,
      sql`select column_name as name from information_schema.columns
          where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'
          order by ordinal_position`,
    )
  ).map((r) => r.name);
}

export interface TableDump {
  table: string;
  rows: number;
  /** One JSON object per line, as PostgreSQL wrote it (numbers never pass through JS numbers). */
  bytes: Buffer;
}

/**
 * Every table's rows as JSON lines, read in one repeatable-read snapshot so the
 * tables agree with each other while the product keeps running.
 */
export async function dumpTables(db: Db, each: (dump: TableDump) => Promise<void>): Promise<void> {
  await db.transaction(
    async (tx) => {
      for (const table of await tablesInOrder(tx)) {
        const columns = await writableColumns(tx, table);
        const picked = sql.join(
          columns.map((c) => sql`${sql.identifier(c)}`),
          sql`, `,
        );
        const rows = await query<{ j: string }>(
          tx,
          sql`select row_to_json(r)::text as j from (select ${picked} from ${sql.identifier(table)}) r`,
        );
        const bytes = Buffer.from(rows.map((r) => r.j).join("\n"), "utf8");
        await each({ table, rows: rows.length, bytes });
      }
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

const CHUNK_ROWS = 500;

/**
 * Replaces every table's rows with the dump's, in one transaction: empties all
 * tables, loads them parents first with the tables' own triggers off (the outbox
 * trigger would write delivery_chats rows the dump already has), then moves each
 * sequence past its column's largest value. A column the dump lacks (a backup of
 * older code) takes its default.
 */
export async function loadTables(db: Db, dumps: Map<string, Buffer>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await db.transaction(async (tx) => {
    const tables = await tablesInOrder(tx);
    const unknown = [...dumps.keys()].filter((t) => !tables.includes(t));
    if (unknown.length > 0)
      throw new Error(`the backup has tables this version does not: ${unknown.join(", ")}`);
    await tx.execute(
      sql`truncate ${sql.join(
        tables.map((t) => sql.identifier(t)),
        sql`, `,
      )} restart identity cascade`,
    );
    for (const table of tables) {
      const text = dumps.get(table)?.toString("utf8") ?? "";
      const lines = text === "" ? [] : text.split("\n");
      counts.set(table, lines.length);
      if (lines.length === 0) continue;
      const present = new Set(Object.keys(JSON.parse(lines[0]) as object));
      const columns = (await writableColumns(tx, table)).filter((c) => present.has(c));
      const list = sql.join(
        columns.map((c) => sql.identifier(c)),
        sql`, `,
      );
      await tx.execute(sql`alter table ${sql.identifier(table)} disable trigger user`);
      for (let i = 0; i < lines.length; i += CHUNK_ROWS) {
        const json = `[${lines.slice(i, i + CHUNK_ROWS).join(",")}]`;
        await tx.execute(
          sql`insert into ${sql.identifier(table)} (${list}) overriding system value
              select ${list} from json_populate_recordset(null::${sql.identifier(table)}, ${json}::json)`,
        );
      }
      await tx.execute(sql`alter table ${sql.identifier(table)} enable trigger user`);
    }
    const sequences = await query<{ table: string; column: string; seq: string }>(
      tx,
      sql`select c.table_name as table, c.column_name as column,
            pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) as seq
          from information_schema.columns c
          where c.table_schema = 'public'
            and pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) is not null`,
    );
    for (const s of sequences)
      await tx.execute(
        sql`select setval(${s.seq}, coalesce((select max(${sql.identifier(s.column)}) from ${sql.identifier(s.table)}), 1),
              (select max(${sql.identifier(s.column)}) from ${sql.identifier(s.table)}) is not null)`,
      );
  });
  return counts;
}
