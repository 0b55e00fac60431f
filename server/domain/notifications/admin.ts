import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
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
 * It goes out after anything already queued for the same chat. A row carried by a
 * post that failed after part of it went out (server/jobs/outbox/finish.ts) goes
 * back with that post: the post's row and every row it carried, in their order,
 * so the send ledger replays what reached the chat and sends only the rest.
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
  const retryable = inArray(notifications.state, ["failed", "skipped"]);
  const row = await ctx.db.transaction(async (tx) => {
    const [asked] = await tx
      .select({ id: notifications.id, carriedBy: notifications.carriedBy })
      .from(notifications)
      .where(and(eq(notifications.id, notificationId), retryable));
    if (!asked) return undefined;
    const postId = asked.carriedBy ?? asked.id;
    // The whole post locked in one statement, in one order: two admins retrying two of
    // its rows at once wait for each other instead of deadlocking.
    const locked = await tx
      .select({ id: notifications.id, seq: notifications.seq })
      .from(notifications)
      .where(and(or(eq(notifications.id, postId), eq(notifications.carriedBy, postId)), retryable))
      .orderBy(notifications.id)
      .for("update");
    // Put back meanwhile by another admin's retry.
    if (!locked.some((r) => r.id === asked.id)) return undefined;
    const post = [
      ...locked.filter((r) => r.id === postId),
      ...locked.filter((r) => r.id !== postId).sort((a, b) => a.seq - b.seq),
    ];
    // New places at the end of the line keep per-chat order honest: one after another,
    // the post's row first.
    let updated: Notification | undefined;
    for (const { id } of post) {
      const [row] = await tx
        .update(notifications)
        .set({
          state: "pending",
          attempts: 0,
          nextAttemptAt: sql`now()`,
          seq: sql`nextval(pg_get_serial_sequence('notifications', 'seq'))`,
        })
        .where(and(eq(notifications.id, id), retryable))
        .returning();
      if (id === asked.id) updated = row;
    }
    return updated;
  });
  if (!row) throw new DomainError("NOT_FOUND", { entity: "notification", id: notificationId });
  await writeAudit(ctx.db, ctx.actor, {
    action: "notification.retry",
    entity: "notification",
    entityId: row.id,
  });
  return row;
}
