import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { rowsOf } from "../delivery/budget.js";

/** A token bucket: `burst` takes at once, refilled continuously at `perMinute`. */
export interface BucketSpec {
  perMinute: number;
  burst: number;
}

export interface TakeResult {
  granted: boolean;
  /** Seconds until one token is back (0 when granted). */
  retryAfterS: number;
  /** Refusals in a row, this one included (0 when granted): 1 is the first, to warn once. */
  refused: number;
}

/** How long an untouched bucket is kept: longer than any of ours takes to fill up again. */
const SWEEP_AFTER = "1 hour";
/** One take in this many also sweeps old buckets (cheap, and no timer of its own). */
const SWEEP_EVERY = 1000;

/**
 * Takes one token from the bucket `key`, in one statement shared by every
 * instance: an upsert refills the bucket for the time since its last take (in the
 * database's clock, so instances' clocks cannot disagree), then takes a token when
 * one is there; the row lock of the upsert serialises concurrent takes of one key.
 * A refused take leaves the level as refilled and counts the refusal. The limits
 * may be SQL (the bot's flood limit is read from settings in the same statement).
 *
 * The take commits without waiting for its WAL flush (the setting, made in the
 * statement's RETURNING, lasts until its own commit): a crash of the machine may
 * forget the last few takes, which only makes a bucket fuller than it was; an
 * fsync per request would cost more than everything else the take does.
 */
export async function takeToken(
  db: DbOrTx,
  key: string,
  spec: { perMinute: number | SQL; burst: number | SQL },
): Promise<TakeResult> {
  const { burst, perSecond } = bucketRates(spec);
  const rows = await db.execute(sql`
    insert into rate_buckets as b (key, tokens, refused, updated_at)
    values (${key}, ${burst} - 1, 0, now())
    ${onConflictTake(spec)}
    returning tokens, refused, ${perSecond} as per_second,
      set_config('synchronous_commit', 'off', true) as async_commit`);
  const [row] = rowsOf<{ tokens: number; refused: number; per_second: number }>(rows);
  if (Math.random() < 1 / SWEEP_EVERY) await sweepRateBuckets(db);
  const refused = Number(row.refused);
  if (refused === 0) return { granted: true, retryAfterS: 0, refused: 0 };
  const perSecondN = Number(row.per_second);
  const retryAfterS = perSecondN > 0 ? Math.max(1, Math.ceil((1 - Number(row.tokens)) / perSecondN)) : 60;
  return { granted: false, retryAfterS, refused };
}

/** A bucket's size and refill per second, as SQL (the limits may be SQL themselves). */
export function bucketRates(spec: { perMinute: number | SQL; burst: number | SQL }) {
  return { burst: sql`(${spec.burst})::float8`, perSecond: sql`((${spec.perMinute})::float8 / 60)` };
}

/**
 * The take of an upsert into `rate_buckets as b` whose row exists: refill for the
 * time since the last take, then take a token when one is there, else count the
 * refusal. The bot's update-state statement takes its flood token with it too.
 */
export function onConflictTake(spec: { perMinute: number | SQL; burst: number | SQL }): SQL {
  const { burst, perSecond } = bucketRates(spec);
  const level = sql`least(${burst}, b.tokens + extract(epoch from now() - b.updated_at)::float8 * ${perSecond})`;
  return sql`on conflict (key) do update set
      tokens = case when ${level} >= 1 then ${level} - 1 else ${level} end,
      refused = case when ${level} >= 1 then 0 else b.refused + 1 end,
      updated_at = now()`;
}

/**
 * Deletes buckets nobody took from for an hour: refilled by now, each says
 * nothing that a missing row (a full bucket) would not. Returns how many went.
 */
export async function sweepRateBuckets(db: DbOrTx, olderThan: string = SWEEP_AFTER): Promise<number> {
  const rows = await db.execute(
    sql`delete from rate_buckets where updated_at < now() - ${olderThan}::interval returning key`,
  );
  return rowsOf(rows).length;
}

/** The key of a bucket: limits of different sizes never share one. */
export function bucketKey(name: string, spec: BucketSpec, who: string | number): string {
  return `${name}:${spec.perMinute}/${spec.burst}:${who}`;
}
