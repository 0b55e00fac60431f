import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { LANGUAGES, type Language, type User, users } from "../../../drizzle/schema/index.js";
import { parseInput } from "../validate.js";
import { telegramUserSchema } from "./schemas.js";

/** fa/en/ru from Telegram's language_code ("en-US" → en); anything else → null. */
export function languageFromTelegram(code: string | null | undefined): Language | null {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base ?? "") ? (base as Language) : null;
}

/**
 * Creates or refreshes a user from a Telegram user object: names follow Telegram,
 * the language is set from language_code only on creation (afterwards it is the
 * user's own choice). Called by the doors before any verb runs.
 */
export async function upsertTelegramUser(
  db: Db,
  input: unknown,
  defaults: { language: Language },
  /** The stored row when the caller already read it (null: there is none). */
  loaded?: User | null,
): Promise<User> {
  const data = parseInput(telegramUserSchema, input);
  // Most updates come from people we know whose names did not change: no write then.
  const known =
    loaded !== undefined
      ? loaded
      : (await db.select().from(users).where(eq(users.telegramId, data.telegramId)))[0];
  if (
    known &&
    known.username === (data.username ?? null) &&
    known.firstName === data.firstName &&
    known.lastName === (data.lastName ?? null)
  ) {
    return known;
  }
  const language = languageFromTelegram(data.languageCode) ?? defaults.language;
  const [row] = await db
    .insert(users)
    .values({
      telegramId: data.telegramId,
      username: data.username ?? null,
      firstName: data.firstName,
      lastName: data.lastName ?? null,
      language,
    })
    .onConflictDoUpdate({
      target: users.telegramId,
      set: {
        username: data.username ?? null,
        firstName: data.firstName,
        lastName: data.lastName ?? null,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return row;
}

/**
 * Makes the Telegram ids in BOOTSTRAP_ADMIN_IDS owners at start, creating
 * placeholder users (named on their first message) when needed.
 */
export async function bootstrapOwners(
  db: Db,
  telegramIds: readonly number[],
  language: Language,
): Promise<void> {
  if (telegramIds.length === 0) return;
  await db
    .insert(users)
    .values(telegramIds.map((telegramId) => ({ telegramId, role: "owner" as const, language })))
    .onConflictDoNothing();
  await db
    .update(users)
    .set({ role: "owner", isActive: true, updatedAt: sql`now()` })
    .where(inArray(users.telegramId, [...telegramIds]));
}

export async function findUserByTelegramId(db: Db, telegramId: number): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.telegramId, telegramId));
  return row ?? null;
}

/** A user by Telegram username, any case, with or without "@" (staff commands name people so). */
export async function findUserByUsername(db: Db, username: string): Promise<User | null> {
  const wanted = username.replace(/^@/, "").toLowerCase();
  if (!/^[a-z0-9_]{3,32}$/.test(wanted)) return null;
  const [row] = await db.select().from(users).where(sql`lower(${users.username}) = ${wanted}`);
  return row ?? null;
}
