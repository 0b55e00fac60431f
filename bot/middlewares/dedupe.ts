import { eq } from "drizzle-orm";
import type { Middleware } from "telegraf";
import type { Db } from "../../drizzle/client.js";
import { processedUpdates } from "../../drizzle/schema/index.js";
import type { BotContext } from "../context.js";

/**
 * Each update_id takes effect once, even when Telegram delivers it again (a
 * webhook retry, a restart before the poll offset was confirmed). The id is
 * recorded after the handlers ran, also when they failed with an answer, so a
 * crash half-way lets the redelivery finish the work instead of losing it; the
 * verbs that store Telegram messages are idempotent for the rare overlap.
 */
export function dedupeUpdates(db: Db): Middleware<BotContext> {
  return async (ctx, next) => {
    const updateId = ctx.update.update_id;
    const seen = await db
      .select({ id: processedUpdates.updateId })
      .from(processedUpdates)
      .where(eq(processedUpdates.updateId, updateId));
    if (seen.length > 0) return;
    try {
      await next();
    } finally {
      await db.insert(processedUpdates).values({ updateId }).onConflictDoNothing();
    }
  };
}
