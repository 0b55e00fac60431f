import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { botSessions } from "../../../drizzle/schema/index.js";
import { preparedPerDb } from "../prepared.js";

const statements = preparedPerDb((db: Db) => ({
  load: db
    .select({ data: botSessions.data })
    .from(botSessions)
    .where(eq(botSessions.key, sql.placeholder("key")))
    .prepare("bot_session_load"),
}));

/**
 * The stored conversation state of one person in one chat, as JSON (undefined:
 * none). Most updates get it with their update state (loadUpdateState); this is
 * for an update taken over from another arrival, which reads it afresh.
 */
export async function loadBotSession(db: Db, key: string): Promise<unknown> {
  return (await statements(db).load.execute({ key }))[0]?.data;
}

/**
 * Writes a session back after the update's handlers; null deletes it (nothing
 * left to remember). The data is the bot's own JSON: the domain only keeps it.
 */
export async function saveBotSession(db: Db, key: string, data: object | null): Promise<void> {
  if (data === null) {
    await db.delete(botSessions).where(eq(botSessions.key, key));
    return;
  }
  await db
    .insert(botSessions)
    .values({ key, data })
    .onConflictDoUpdate({ target: botSessions.key, set: { data, updatedAt: sql`now()` } });
}
