import { eq } from "drizzle-orm";
import { z } from "zod";
import { settings } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { isAdmin, isStaffReader, requireRole } from "../permissions.js";
import { syncAutoCloseJobs } from "../schedule/auto-close.js";
import { parseInput } from "../validate.js";
import { getSetting, type SettingKey, type SettingValue, settingDefaults, settingSchemas } from "./store.js";

export { getSetting, type SettingKey, settingDefaults };

export const updateSettingsSchema = z
  .object({
    staff_chat_id: settingSchemas.staff_chat_id.optional(),
    auto_close_hours: settingSchemas.auto_close_hours.optional(),
    auto_close_business_hours: settingSchemas.auto_close_business_hours.optional(),
    reopen_days: settingSchemas.reopen_days.optional(),
    max_file_mb: settingSchemas.max_file_mb.optional(),
    flood_messages_per_minute: settingSchemas.flood_messages_per_minute.optional(),
    live_capacity: settingSchemas.live_capacity.optional(),
    live_offer_seconds: settingSchemas.live_offer_seconds.optional(),
    presence_timeout_minutes: settingSchemas.presence_timeout_minutes.optional(),
  })
  .strict();

export type AllSettings = { [K in SettingKey]: SettingValue<K> };

/** All settings with defaults filled in. Staff may read them. */
export async function getSettings({ ctx }: { ctx: ServiceContext }): Promise<AllSettings> {
  requireRole(ctx.actor, isStaffReader(ctx.actor), "settings.read");
  const out = {} as Record<SettingKey, unknown>;
  for (const key of Object.keys(settingDefaults) as SettingKey[]) out[key] = await getSetting(ctx.db, key);
  return out as AllSettings;
}

/** Changes settings (admin only, audited). */
export async function updateSettings({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  requireRole(ctx.actor, isAdmin(ctx.actor), "settings.update");
  const data = parseInput(updateSettingsSchema, input);
  await ctx.db.transaction(async (tx) => {
    for (const [key, value] of Object.entries(data)) {
      if (value === undefined) continue;
      const before = await getSetting(tx, key as SettingKey);
      if (value === null) {
        // null means "back to the default": no row, so a later default change applies.
        await tx.delete(settings).where(eq(settings.key, key));
        await writeAudit(tx, ctx.actor, {
          action: "settings.reset",
          entity: "setting",
          entityId: key,
          before,
        });
        continue;
      }
      await tx
        .insert(settings)
        .values({ key, value, updatedBy: ctx.actor.id })
        .onConflictDoUpdate({
          target: settings.key,
          set: { value, updatedBy: ctx.actor.id, updatedAt: ctx.clock.now() },
        });
      await writeAudit(tx, ctx.actor, {
        action: "settings.update",
        entity: "setting",
        entityId: key,
        before,
        after: value,
      });
    }
    // Resolved tickets' closes move with the setting (0 takes them off).
    if (data.auto_close_hours !== undefined || data.auto_close_business_hours !== undefined)
      await syncAutoCloseJobs(tx);
  });
  return getSettings({ ctx });
}
