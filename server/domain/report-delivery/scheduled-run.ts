import { eq } from "drizzle-orm";
import { type ScheduledReport, scheduledReports } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError, isDomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { reportChat } from "./chats.js";
import { periodBefore } from "./next-run.js";
import { queueReportDocument, type RenderedReportFile } from "./queue.js";
import { syncScheduledReportJob } from "./scheduled.js";

/** What the door renders for one run: the report, its parameters and the reader's language. */
export interface ScheduledRenderRequest {
  schedule: ScheduledReport;
  /** The report's parameters: the period before the run, and the schedule's filters. */
  input: Record<string, unknown>;
}

export type ScheduledRunOutcome = "sent" | "already_sent" | "gone" | "no_chat";

/**
 * The scheduler's `scheduled_report` job (as the system): renders the schedule's
 * report for the period before its run, queues the file for its chat, records the
 * run as sent and puts the next one on the schedule, in one transaction. The row is
 * locked and `last_sent_for` checked under the lock, and the outbox row's key names
 * the run, so a run repeated (a crash after the work, a lease taken over by another
 * instance) sends nothing twice. A disabled or deleted schedule sends nothing.
 */
export async function runScheduledReport({
  ctx,
  input,
  render,
}: {
  ctx: ServiceContext;
  input: { id: string; due: string };
  render: (req: ScheduledRenderRequest) => Promise<RenderedReportFile>;
}): Promise<ScheduledRunOutcome> {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "scheduled_report.run" });
  const files = ctx.files;
  if (!files) throw new DomainError("INTERNAL", { reason: "no file store" });
  const due = new Date(input.due);
  const [schedule] = await ctx.db.select().from(scheduledReports).where(eq(scheduledReports.id, input.id));
  if (!schedule?.enabled) return "gone";
  if (schedule.lastSentFor && schedule.lastSentFor >= due) return "already_sent";
  let chatId: number;
  try {
    chatId = await reportChat(ctx.db, ctx, schedule.chatId);
  } catch (e) {
    if (!isDomainError(e) || e.code !== "VALIDATION") throw e;
    // The chat is gone (no staff chat, a group removed): this run is skipped, the next stays planned.
    await ctx.db.transaction((tx) => syncScheduledReportJob(tx, schedule, due));
    return "no_chat";
  }
  const period = periodBefore(schedule, due);
  const interval = schedule.frequency === "monthly" ? "week" : "day";
  const file = await render({ schedule, input: { ...period, interval, ...schedule.filters } });
  const stamp = due.toISOString().replace(/[-:.]/g, "");
  const path = await files.put(`reports/scheduled/${schedule.id}/${stamp}/${file.fileName}`, file.bytes);
  const outcome = await ctx.db.transaction(async (tx): Promise<ScheduledRunOutcome> => {
    const [locked] = await tx
      .select()
      .from(scheduledReports)
      .where(eq(scheduledReports.id, schedule.id))
      .for("update");
    if (!locked?.enabled) return "gone";
    if (locked.lastSentFor && locked.lastSentFor >= due) return "already_sent";
    await queueReportDocument(tx, {
      chatId,
      queuedAt: ctx.clock.now(),
      key: `scheduled_report:${schedule.id}:${due.toISOString()}`,
      document: { path, fileName: file.fileName, contentType: file.contentType, caption: file.caption },
    });
    const [sent] = await tx
      .update(scheduledReports)
      .set({ lastSentFor: due, lastSentAt: ctx.clock.now() })
      .where(eq(scheduledReports.id, schedule.id))
      .returning();
    // The next run counts from this one's due time, so a late run never skips or doubles one.
    await syncScheduledReportJob(tx, sent, due);
    return "sent";
  });
  // Another run sent it, or the schedule went away meanwhile: this copy of the file is not needed.
  if (outcome !== "sent") await files.remove(path);
  return outcome;
}
