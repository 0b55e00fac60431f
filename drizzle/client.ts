import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { takingTurns } from "./first-in-line.js";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type DbOrTx = Db | Tx;

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export interface DbHandle {
  db: Db;
  driver: "pglite" | "postgres";
  /** The raw PGlite instance when driver is pglite (tests dump and load data dirs). */
  pglite?: PGlite;
  /** The raw postgres.js client when driver is postgres (LISTEN/NOTIFY). */
  sql?: postgres.Sql;
  /** The DATABASE_URL when driver is postgres (a connection of its own: instance liveness). */
  url?: string;
  /**
   * Where the outbox worker claims: on PostgreSQL a connection of its own, opened
   * on first use, so a claim never waits for a pool connection behind the
   * deliveries' writes (10-76 ms at times in bench:notify --backlog); on PGlite,
   * which has one connection, `db`.
   */
  claimDb(): Db;
  /**
   * Where the HTTP API (the Mini App) reads and writes: on PostgreSQL a small pool of
   * its own (API_POOL_SIZE connections), opened on first use, so a request never
   * queues behind a burst of bot updates for a connection (p95 of the ticket queue
   * during bench:burst 120–170 ms in the shared pool, about 54 ms with its own);
   * on PGlite `db`, where API requests already go first (first-in-line.ts).
   */
  apiDb(): Db;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DbOptions {
  DATABASE_URL?: string;
  DATA_DIR: string;
  /** Load a PGlite data dir dump instead of opening DATA_DIR (tests). */
  pgliteDump?: Blob | File;
  /** Keep PGlite in memory (tests, benchmarks). */
  inMemory?: boolean;
  maxConnections?: number;
  /** The pool size an operator chose (env DATABASE_POOL_SIZE); maxConnections wins over it. */
  DATABASE_POOL_SIZE?: number;
}

/**
 * PostgreSQL connections the product opens when nobody says: twice the CPUs plus
 * one, the usual rule for a database on the same machine (and Prisma's default),
 * at most 10 (the earlier fixed default). More connections than the cores can
 * serve cost CPU instead of saving time: on 2 cores, bench:bot ran 10–30% faster
 * with 5 than with 10 (docs/BOT.md). The cap matters in containers: Node counts
 * the host's CPUs, not a CPU quota, and PostgreSQL allows 100 clients by default.
 * A database on a bigger server of its own may want more: DATABASE_POOL_SIZE.
 */
export const defaultPoolSize = () => Math.min(2 * availableParallelism() + 1, 10);

/** The HTTP API's own connections on PostgreSQL (DbHandle.apiDb), beside the pool's. */
export const API_POOL_SIZE = 3;

/** PGlite's memory settings (see createDb). */
const PGLITE_MEMORY = [
  "-c",
  "shared_buffers=16MB",
  "-c",
  "work_mem=2MB",
  "-c",
  "maintenance_work_mem=8MB",
  "-c",
  "wal_buffers=1MB",
  "-c",
  "temp_buffers=2MB",
];

/** postgres.js when DATABASE_URL is set, otherwise embedded PGlite in DATA_DIR. */
export async function createDb(options: DbOptions): Promise<DbHandle> {
  if (options.DATABASE_URL) {
    const size = options.maxConnections ?? options.DATABASE_POOL_SIZE ?? defaultPoolSize();
    return createPostgresDb(options.DATABASE_URL, size);
  }
  // Loaded only when used: the embedded database's code is ~40 MB of memory a
  // PostgreSQL deployment has no use for.
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all(
    [
      import("@electric-sql/pglite"),
      import("@electric-sql/pglite/contrib/pg_trgm"),
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ],
  );
  // Smaller buffers than PGlite's defaults (shared_buffers 128 MB and its WAL/work
  // memory), which its WebAssembly heap fills and never gives back: measured, the
  // process after opening and migrating went 493 → 425 MB RSS and after 60,000 rows
  // 545 → 411 MB (docs/NOTIFICATIONS.md, "PGlite's memory"). Given as start
  // parameters: writing them to postgresql.conf (`postgresqlconf`) made it worse.
  const startParams = [...PGlite.defaultStartParams, ...PGLITE_MEMORY];
  let pglite: PGlite;
  if (options.inMemory || options.pgliteDump) {
    pglite = await PGlite.create({ loadDataDir: options.pgliteDump, extensions: { pg_trgm }, startParams });
  } else {
    const dir = `${options.DATA_DIR.replace(/\/$/, "")}/pglite`;
    mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir, { extensions: { pg_trgm }, startParams });
  }
  // Requests of the HTTP API go before queued background work (first-in-line.ts).
  const inTurns = takingTurns(pglite);
  const db = drizzlePglite(inTurns, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    pglite,
    claimDb: () => db,
    apiDb: () => db,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => inTurns.close(),
  };
}

/**
 * A postgres.js client for a DATABASE_URL. As with libpq, `?host=/var/run/postgresql`
 * connects through that directory's Unix socket (Debian's default peer
 * authentication for a local database needs it); postgres.js alone cannot
 * express a socket in a URL.
 */
export function connectPostgres(rawUrl: string, options: { max: number }): postgres.Sql {
  const url = withHost(rawUrl);
  const socketDir = url.match(/[?&]host=([^&]+)/)?.[1];
  const common = { ...options, onnotice: () => {} };
  if (!socketDir) return postgres(url, common);
  const rest = url.replace(/([?&])host=[^&]+&?/, "$1").replace(/[?&]$/, "");
  return postgres(rest, { ...common, host: decodeURIComponent(socketDir) });
}

/**
 * libpq lets the host be empty when ?host= names a socket folder
 * (postgresql://user@/db?host=/run/postgresql, postgresql:///db?host=…); URL
 * parsers and postgres.js need a host there, which the socket then overrides.
 */
const withHost = (url: string) => url.replace(/^(postgres(?:ql)?:\/\/(?:[^@/]*@)?)\//, "$1localhost/");

/** The same server and options, another database (tests and benchmarks make their own). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(withHost(url));
  u.pathname = `/${database}`;
  return u.toString();
}

function createPostgresDb(url: string, max: number): DbHandle {
  const sql = connectPostgres(url, { max });
  const db = drizzlePostgres(sql, { schema }) as unknown as Db;
  const claims = lazyPool(url, 1);
  const api = lazyPool(url, API_POOL_SIZE);
  return {
    db,
    driver: "postgres",
    sql,
    url,
    claimDb: claims.db,
    apiDb: api.db,
    migrate: () => migratePostgresLocked(url),
    close: async () => {
      await Promise.all([sql.end({ timeout: 5 }), claims.end(), api.end()]);
    },
  };
}

/** A pool of `max` connections of its own, opened on first use (claimDb, apiDb). */
function lazyPool(url: string, max: number) {
  let own: { sql: postgres.Sql; db: Db } | undefined;
  return {
    db(): Db {
      if (!own) {
        const sql = connectPostgres(url, { max });
        own = { sql, db: drizzlePostgres(sql, { schema }) as unknown as Db };
      }
      return own.db;
    },
    end: async () => {
      await own?.sql.end({ timeout: 5 });
    },
  };
}

/**
 * Several instances may start at once against one PostgreSQL: a session-level
 * advisory lock on a dedicated connection makes them apply migrations one at a time.
 */
async function migratePostgresLocked(url: string): Promise<void> {
  const sql = connectPostgres(url, { max: 1 });
  try {
    await sql`select pg_advisory_lock(727274)`;
    await migratePostgres(drizzlePostgres(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(727274)`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
