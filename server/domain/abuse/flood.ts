import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { bucketRates, onConflictTake, type TakeResult, takeToken } from "../rate-limits/take.js";
import { settingDefaults } from "../settings/store.js";

/** The flood limit: the admin setting, read in the statement that takes the token. */
const floodLimit = sql`coalesce((select (value #>> '{}')::float8 from settings where key = 'flood_messages_per_minute'), ${settingDefaults.flood_messages_per_minute})`;
const floodSpec = { perMinute: floodLimit, burst: floodLimit };

/** The bucket of one sender's messages to the bot. */
export const floodKey = (telegramId: number) => `flood:${telegramId}`;

/**
 * The bot's flood control: one token per message a user sends the bot, from a
 * bucket of `flood_messages_per_minute` (an admin setting) refilled at that rate.
 * The setting is read in the take's own statement, so the check costs one round
 * trip and every instance shares both the count and the limit. The bot takes it
 * inside its update-state statement instead (floodTakeOf), at no round trip at all.
 */
export function takeFloodToken(db: DbOrTx, telegramId: number): Promise<TakeResult> {
  return takeToken(db, floodKey(telegramId), floodSpec);
}

/**
 * The same take as a statement's data-modifying part: `key` is the bucket's key
 * (SQL), `when` decides (in SQL) whether a token is taken at all. Returns `refused`.
 */
export function floodTakeOf(key: SQL, when: SQL): SQL {
  const { burst } = bucketRates(floodSpec);
  return sql`insert into rate_buckets as b (key, tokens, refused, updated_at)
    select ${key}, ${burst} - 1, 0, now() where ${when}
    ${onConflictTake(floodSpec)}
    returning refused`;
}

/** At most one flood warning per person in this many minutes. */
export const FLOOD_WARNING_EVERY_MINUTES = 10;

/**
 * Whether a flood's first refused message may be answered with the warning: once
 * per person in FLOOD_WARNING_EVERY_MINUTES, shared by every instance (a bucket of
 * one token in `rate_buckets`). Someone who floods, waits for a token and floods
 * again within that time is refused without a second warning.
 */
export async function claimFloodWarning(db: DbOrTx, telegramId: number): Promise<boolean> {
  const taken = await takeToken(db, `flood-warning:${telegramId}`, {
    perMinute: 1 / FLOOD_WARNING_EVERY_MINUTES,
    burst: 1,
  });
  return taken.refused === 0;
}
