import { z } from "zod";
import { LANGUAGES, NOTIFICATION_TYPES, PRESENCES, ROLES } from "../../../drizzle/schema/index.js";

export const telegramUserSchema = z.object({
  telegramId: z.number().int().positive(),
  username: z.string().max(64).nullish(),
  firstName: z.string().max(256).default(""),
  lastName: z.string().max(256).nullish(),
  /** Telegram's IETF tag, e.g. "fa", "en-US"; only fa/en/ru are kept. */
  languageCode: z.string().max(35).nullish(),
});
export type TelegramUserInput = z.input<typeof telegramUserSchema>;

const userId = z.object({ userId: z.uuid() });
export const setRoleSchema = userId.extend({ role: z.enum(ROLES) });
export const setBranchSchema = userId.extend({ branchId: z.uuid().nullable() });
export const setActiveSchema = userId.extend({ active: z.boolean() });
export const setSkillsSchema = userId.extend({ categoryIds: z.array(z.uuid()).max(100) });
export const setLanguageSchema = z.object({ language: z.enum(LANGUAGES), userId: z.uuid().optional() });
export const setPrefsSchema = z.object({ prefs: z.partialRecord(z.enum(NOTIFICATION_TYPES), z.boolean()) });
export const setPresenceSchema = z.object({ presence: z.enum(PRESENCES) });
export const getUserSchema = userId;

/**
 * Registering a person before they have written to the bot. Names are what the
 * admin typed until Telegram tells us better (the first upsert refreshes them).
 */
export const createUserSchema = z.object({
  telegramId: z.number().int().positive(),
  firstName: z.string().trim().min(1).max(256),
  lastName: z.string().trim().max(256).nullish(),
  /** Telegram's username, with or without "@". */
  username: z
    .string()
    .trim()
    .regex(/^@?[A-Za-z0-9_]{3,32}$/)
    .transform((u) => u.replace(/^@/, ""))
    .nullish(),
  role: z.enum(ROLES).default("requester"),
  /** Omitted: a moderator's own branch, else none. */
  branchId: z.uuid().nullish(),
  language: z.enum(LANGUAGES).default("fa"),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const listUsersSchema = z.object({
  role: z
    .preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(z.enum(ROLES)))
    .optional(),
  branchId: z.uuid().optional(),
  q: z.string().trim().min(1).max(100).optional(),
  active: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
