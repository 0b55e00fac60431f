import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type ScheduledReport, scheduledReports } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError, notFound } from "../errors.js";
import { isAdmin, requireRole } from "../permissions.js";
import { cancelJob, scheduleJob } from "../schedule/jobs.js";
import { parseInput } from "../validate.js";
import { reportChat } from "./chats.js";
import { nextRunAfter } from "./next-run.js";
import {
  createScheduledReportSchema,
  scheduleDayIssue,
  scheduledReportIdSchema,
  updateScheduledReportSchema,
} from "./schemas.js";

const ENTITY = "scheduled_report";
export const scheduledReportJobKey = (id: string) => `scheduled_report:${id}`;

/**
 * Keeps a schedule's job in step with it, in the caller's transaction: an enabled
 * schedule has one pending job at its next run (the same key again only moves it),
 * a disabled one none. Returns the row with `next_run_at` set.
 */
export async function syncScheduledReportJob(
  tx: DbOrTx,
  row: ScheduledReport,
  after: Date,
): Promise<ScheduledReport> {
  const key = scheduledReportJobKey(row.id);
  if (!row.enabled) {
    await cancelJob(tx, key);
    const [off] = await tx
      .update(scheduledReports)
      .set({ nextRunAt: null })
      .where(eq(scheduledReports.id, row.id))
      .returning();
    return off;
  }
  const due = nextRunAfter(row, after);
  await scheduleJob(tx, {
    kind: "scheduled_report",
    key,
    runAt: due,
    payload: { id: row.id, due: due.toISOString() },
  });
  const [on] = await tx
    .update(scheduledReports)
    .set({ nextRunAt: due })
    .where(eq(scheduledReports.id, row.id))
    .returning();
  return on;
}

/** Every scheduled report (admins and owners). */
export async function listScheduledReports({ ctx }: { ctx: ServiceContext; input?: unknown }) {
  requireRole(ctx.actor, isAdmin(ctx.actor), "scheduled_report.read");
  return ctx.db.select().from(scheduledReports).orderBy(asc(scheduledReports.createdAt));
}

/** Adds a schedule (admins and owners): audited, its first run on the scheduler. */
export async function createScheduledReport({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  requireRole(ctx.actor, isAdmin(ctx.actor), "scheduled_report.create");
  const data = parseInput(createScheduledReportSchema, input);
  return ctx.db.transaction(async (tx) => {
    if (data.chatId != null) await reportChat(tx, ctx, data.chatId);
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(scheduledReports)
      .values({
        ...data,
        chatId: data.chatId ?? null,
        createdBy: ctx.actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const synced = await syncScheduledReportJob(tx, row, now);
    await writeAudit(tx, ctx.actor, {
      action: "scheduled_report.create",
      entity: ENTITY,
      entityId: row.id,
      after: synced,
    });
    return synced;
  });
}

/** Changes a schedule (admins and owners): audited with before and after; its next run recomputed. */
export async function updateScheduledReport({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  requireRole(ctx.actor, isAdmin(ctx.actor), "scheduled_report.update");
  const { id, ...change } = parseInput(updateScheduledReportSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(scheduledReports)
      .where(eq(scheduledReports.id, id))
      .for("update");
    if (!before) throw notFound(ENTITY, id);
    if (scheduleDayIssue({ ...before, ...change }))
      throw new DomainError("VALIDATION", {}, [
        { path: "weekday", code: "schedule_day", message: "schedule_day" },
      ]);
    if (change.chatId != null) await reportChat(tx, ctx, change.chatId);
    const now = ctx.clock.now();
    const [row] = await tx
      .update(scheduledReports)
      .set({ ...change, updatedAt: now })
      .where(eq(scheduledReports.id, id))
      .returning();
    const synced = await syncScheduledReportJob(tx, row, now);
    await writeAudit(tx, ctx.actor, {
      action: "scheduled_report.update",
      entity: ENTITY,
      entityId: id,
      before,
      after: synced,
    });
    return synced;
  });
}

/** Removes a schedule and its pending run (admins and owners; audited). */
export async function deleteScheduledReport({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  requireRole(ctx.actor, isAdmin(ctx.actor), "scheduled_report.delete");
  const { id } = parseInput(scheduledReportIdSchema, input);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.delete(scheduledReports).where(eq(scheduledReports.id, id)).returning();
    if (!before) throw notFound(ENTITY, id);
    await cancelJob(tx, scheduledReportJobKey(id));
    await writeAudit(tx, ctx.actor, {
      action: "scheduled_report.delete",
      entity: ENTITY,
      entityId: id,
      before,
    });
  });
}
