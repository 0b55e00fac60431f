import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../../drizzle/client.js";
import { settings } from "../../../drizzle/schema/index.js";

/** Every setting an admin can change, with its schema and default. */
export const settingSchemas = {
  /** Global staff group (overrides STAFF_CHAT_ID); null falls back to the environment. */
  staff_chat_id: z.number().int().nullable(),
  /** Resolved tickets close by themselves after this many hours (0 = never). */
  auto_close_hours: z
    .number()
    .int()
    .min(0)
    .max(24 * 365),
  /** Count auto_close_hours in the default business calendar's working hours (else wall time). */
  auto_close_business_hours: z.boolean(),
  /** How many days after a close its requester may still reopen it (0 = always). */
  reopen_days: z.number().int().min(0).max(3650),
  /** Largest attachment accepted, in megabytes. */
  max_file_mb: z.number().positive().max(2000).nullable(),
  /** Bot flood control: messages a requester may send per minute (and at once) before the rest are dropped. */
  flood_messages_per_minute: z.number().int().min(1).max(1000),
  /** Live chats an operator takes at once unless their own capacity says otherwise. */
  live_capacity: z.number().int().min(1).max(50),
  /** Seconds an operator has to accept a live chat before it goes to the next one. */
  live_offer_seconds: z.number().int().min(5).max(600),
  /** Minutes without activity after which an online or busy operator goes offline. */
  presence_timeout_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingSchemas)[K]>;

export const settingDefaults: { [K in SettingKey]: SettingValue<K> } = {
  staff_chat_id: null,
  auto_close_hours: 72,
  auto_close_business_hours: false,
  reopen_days: 14,
  max_file_mb: null,
  flood_messages_per_minute: 20,
  live_capacity: 2,
  live_offer_seconds: 30,
  presence_timeout_minutes: 15,
};

/** Reads one setting, falling back to its default; a corrupt stored value is ignored. */
export async function getSetting<K extends SettingKey>(tx: DbOrTx, key: K): Promise<SettingValue<K>> {
  const [row] = await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return settingValue(key, row ? row.value : undefined);
}

/** A stored value (undefined: none stored) as the setting's type, else its default. */
export function settingValue<K extends SettingKey>(key: K, stored: unknown): SettingValue<K> {
  if (stored === undefined || stored === null) return settingDefaults[key];
  const parsed = settingSchemas[key].safeParse(stored);
  return parsed.success ? (parsed.data as SettingValue<K>) : settingDefaults[key];
}
