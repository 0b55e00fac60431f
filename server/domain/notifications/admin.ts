import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Notification, notifications } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";

const listFailedSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Include rows skipped because the user blocked the bot. */
  includeSkipped: z.preprocess((v) => v === true || v === "true", z.boolean()).default(false),
});

/** Notifications that could not be delivered, newest first (admins only). */
export async function listFailedNotifications({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<Notification[]> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "notifications.list_failed");
  const f = parseInput(listFailedSchema, input ?? {});
  const states = f.includeSkipped ? (["failed", "skipped"] as const) : (["failed"] as const);
  return ctx.db
    .select()
    .from(notifications)
    .where(inArray(notifications.state, [...states]))
    .orderBy(desc(notifications.seq))
    .limit(f.limit);
}

/**
 * Puts a failed (or skipped) notification back in the queue with fresh attempts.
 * It goes out after anything already queued for the same chat.
 */
export async function retryNotification({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<Notification> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "notifications.retry");
  const { notificationId } = parseInput(z.object({ notificationId: z.uuid() }), input);
  const [row] = await ctx.db
    .update(notifications)
    .set({
      state: "pending",
      attempts: 0,
      nextAttemptAt: sql`now()`,
      // A new place at the end of the line keeps per-chat order honest.
      seq: sql`nextval(pg_get_serial_sequence('notifications', 'seq'))`,
    })
    .where(and(eq(notifications.id, notificationId), inArray(notifications.state, ["failed", "skipped"])))
    .returning();
  if (!row) throw new DomainError("NOT_FOUND", { entity: "notification", id: notificationId });
  await writeAudit(ctx.db, ctx.actor, {
    action: "notification.retry",
    entity: "notification",
    entityId: row.id,
  });
  return row;
}
