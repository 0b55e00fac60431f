import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type TakeResult, takeToken } from "../rate-limits/take.js";
import { settingDefaults } from "../settings/store.js";

/**
 * The bot's flood control: one token per message a user sends the bot, from a
 * bucket of `flood_messages_per_minute` (an admin setting) refilled at that rate.
 * The setting is read in the take's own statement, so the check costs one round
 * trip and every instance shares both the count and the limit.
 */
export function takeFloodToken(db: DbOrTx, telegramId: number): Promise<TakeResult> {
  const limit = sql`coalesce((select (value #>> '{}')::float8 from settings where key = 'flood_messages_per_minute'), ${settingDefaults.flood_messages_per_minute})`;
  return takeToken(db, `flood:${telegramId}`, { perMinute: limit, burst: limit });
}
