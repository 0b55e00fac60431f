import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { scheduledJobs } from "../../../drizzle/schema/index.js";

/** The kinds of later work the scheduler runs; each names the domain verb that does it. */
export const JOB_KINDS = [
  "auto_close",
  "sla_check",
  "sla_recalc",
  "auto_assign",
  "automation",
  "backup",
  /** A scheduled report's run (server/domain/report-delivery/scheduled-run.ts). */
  "scheduled_report",
  /** An operator let a live chat's offer run out: it goes to the next one (server/domain/live). */
  "live_offer_timeout",
  /** An online or busy operator went quiet: offline after `presence_timeout_minutes`. */
  "presence_timeout",
  /** A report file posted to a chat is removed from the file store (server/domain/report-delivery/file-cleanup.ts). */
  "report_file_cleanup",
  /** The timings' business seconds computed again after a calendar change (server/domain/reports/business-facts.ts). */
  "report_business_hours",
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * Puts work on the schedule in the caller's transaction, so it exists exactly when
 * the change that wants it committed. The same key again moves the job to the new
 * time (and revives one that was done or cancelled): one job per thing, never two.
 */
export async function scheduleJob(
  tx: DbOrTx,
  job: { kind: JobKind; key: string; runAt: Date; payload?: Record<string, unknown> },
): Promise<void> {
  const fresh = {
    kind: job.kind,
    payload: job.payload ?? {},
    state: "pending",
    runAt: job.runAt,
    leaseUntil: null,
    attempts: 0,
    lastError: null,
    finishedAt: null,
  };
  await tx
    .insert(scheduledJobs)
    .values({ key: job.key, ...fresh })
    .onConflictDoUpdate({ target: scheduledJobs.key, set: { ...fresh, createdAt: sql`now()` } });
}

/**
 * A running job's next step: the job goes back on the schedule at `runAt` with
 * `payload`, and the worker leaves it pending instead of done. Only while it still
 * runs: a job queued again meanwhile (scheduleJob) keeps that newer request.
 */
export async function continueRunningJob(
  db: DbOrTx,
  key: string,
  next: { runAt: Date; payload: Record<string, unknown> },
): Promise<void> {
  await db
    .update(scheduledJobs)
    .set({
      state: "pending",
      runAt: next.runAt,
      payload: next.payload,
      leaseUntil: null,
      attempts: 0,
      lastError: null,
    })
    .where(and(eq(scheduledJobs.key, key), eq(scheduledJobs.state, "running")));
}

/** Takes a job off the schedule (what it was for went away); a job already running finishes and re-checks. */
export async function cancelJob(tx: DbOrTx, key: string): Promise<void> {
  await tx
    .update(scheduledJobs)
    .set({ state: "cancelled", finishedAt: sql`now()` })
    .where(and(eq(scheduledJobs.key, key), eq(scheduledJobs.state, "pending")));
}
