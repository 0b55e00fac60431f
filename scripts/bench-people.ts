import type { Db } from "../drizzle/client.js";
import { users } from "../drizzle/schema/index.js";
import { tgUser } from "../server/sandbox/bot-api/updates.js";

/**
 * The benches' requesters: Telegram users 7,000,000 onwards, speaking fa, en and
 * ru in turn, stored with their language chosen (the bot does not ask them first).
 */
export async function insertRequesters(db: Db, count: number) {
  const people = Array.from({ length: count }, (_, i) => tgUser(7_000_000 + i, ["fa", "en", "ru"][i % 3]));
  const rows = await db
    .insert(users)
    .values(
      people.map((p) => ({
        telegramId: p.id,
        firstName: p.first_name,
        username: p.username,
        language: p.language_code as "fa",
        languageChosen: true,
      })),
    )
    .returning();
  return { people, rows };
}
