import { doublePrecision, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Token buckets shared by every instance (server/domain/rate-limits/): the HTTP
 * limits per address and user, and the bot's flood control per Telegram user.
 * One statement refills and takes (take.ts); a row untouched long enough to be
 * full again says nothing a missing row would not, so old rows are swept.
 */
export const rateBuckets = pgTable(
  "rate_buckets",
  {
    /** "<limit name>:<perMinute>/<burst>:<who>": buckets of different sizes never mix. */
    key: text("key").primaryKey(),
    /** Tokens left at updated_at (fractional: refilled continuously). */
    tokens: doublePrecision("tokens").notNull(),
    /** Takes refused in a row since the last granted one (1: the first refusal, warn once). */
    refused: integer("refused").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("rate_buckets_updated_idx").on(t.updatedAt)],
);
