import { createHash, randomUUID } from "node:crypto";
import { connectPostgres, type DbHandle } from "../../../drizzle/client.js";

/**
 * Whether the process that holds an update's claim is still running. An update
 * claimed by a process that died (kill -9, a crash) was refused with 503 for up
 * to a minute after the restart, until its claim was old enough to take over,
 * because in webhook mode the holder might have been a live instance. Each
 * process now holds a PostgreSQL advisory lock named after its holder id on a
 * connection of its own: PostgreSQL drops it the moment that connection closes,
 * so a claim whose holder's lock is gone belongs to a dead process and is taken
 * over at once (bot/update-claims.ts). With PGlite only one process can open the
 * data directory, so every other holder is a dead predecessor.
 */
export interface InstanceLiveness {
  /** This process's holder id (its claims carry it). */
  readonly holder: string;
  /** False when `holder` is certainly not running; true when it is, or cannot be told. */
  isAlive(holder: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The advisory lock's first key: the helpdesk's instances ("hdin"), apart from other locks. */
const NAMESPACE = 0x6864696e;
/** The second key: from the holder id (31 bits, so pg_locks shows it as written). */
const keyOf = (holder: string) => createHash("sha256").update(holder).digest().readUInt32BE(0) & 0x7fffffff;
/** How often the lock's connection is checked (and the lock taken again after a database restart). */
const CHECK_MS = 5000;

export async function startInstanceLiveness(handle: DbHandle): Promise<InstanceLiveness> {
  const holder = randomUUID();
  const pool = handle.sql;
  if (handle.driver === "pglite" || !handle.url || !pool) {
    return { holder, isAlive: async (other) => other === holder, close: async () => {} };
  }
  const url = handle.url;
  const key = keyOf(holder);
  let conn = connectPostgres(url, { max: 1 });
  const lock = async () => {
    await conn`select pg_advisory_lock(${NAMESPACE}::int, ${key}::int)`;
  };
  await lock();
  // A database restart closes the connection and drops the lock: take it again.
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    conn`select 1`
      .catch(async () => {
        await conn.end({ timeout: 0 }).catch(() => {});
        conn = connectPostgres(url, { max: 1 });
        await lock();
      })
      .catch(() => {})
      .finally(() => {
        checking = false;
      });
  }, CHECK_MS).unref();
  return {
    holder,
    async isAlive(other) {
      if (other === holder) return true;
      const [row] = await pool`
        select exists (select 1 from pg_locks where locktype = 'advisory' and granted
          and database = (select oid from pg_database where datname = current_database())
          and classid = ${NAMESPACE}::int::oid and objid = ${keyOf(other)}::int::oid and objsubid = 2) as alive`;
      return Boolean(row.alive);
    },
    async close() {
      clearInterval(timer);
      await conn.end({ timeout: 1 });
    },
  };
}
