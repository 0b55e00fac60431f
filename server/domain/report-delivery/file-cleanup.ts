import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../../drizzle/client.js";
import { notifications } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { scheduleJob } from "../schedule/index.js";
import { parseInput } from "../validate.js";

/** How often a report file waiting to be posted is looked at again. */
export const REPORT_FILE_CHECK_MS = 10 * 60_000;
/**
 * How long a report file is kept at most: one still not posted after this (a chat
 * whose posts keep failing, a worker stopped for a week) is removed anyway, and its
 * outbox row then fails as "missing from the file store" (bot/delivery/report-document.ts).
 */
export const REPORT_FILE_RETENTION_MS = 7 * 86_400_000;

const cleanupSchema = z.object({
  /** The outbox row's idempotency key, which names the file's post. */
  key: z.string().min(1),
  /** The file store's path of the file. */
  path: z.string().min(1),
  queuedAt: z.iso.datetime(),
});

const jobKeyOf = (outboxKey: string) => `report_file:${outboxKey}`;

/**
 * Puts the file's clean-up on the durable scheduler, in the transaction that queues
 * its post: nothing is left behind even if the process stops right after.
 */
export async function scheduleReportFileCleanup(
  tx: DbOrTx,
  job: { key: string; path: string; queuedAt: Date },
): Promise<void> {
  await scheduleJob(tx, {
    kind: "report_file_cleanup",
    key: jobKeyOf(job.key),
    runAt: new Date(job.queuedAt.getTime() + REPORT_FILE_CHECK_MS),
    payload: { key: job.key, path: job.path, queuedAt: job.queuedAt.toISOString() },
  });
}

export type ReportFileCleanup = "removed" | "expired" | "waiting";

/**
 * The `report_file_cleanup` job (as the system): a report file rendered for a chat
 * is removed from the file store once its outbox row is done with it (sent, failed
 * or skipped; or gone), or after REPORT_FILE_RETENTION_MS whatever its state. While
 * the post still waits, the job is planned again. Removing is idempotent, so a run
 * repeated after a crash does no harm.
 */
export async function cleanUpReportFile({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<ReportFileCleanup> {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "report_file.cleanup" });
  const job = parseInput(cleanupSchema, input);
  const files = ctx.files;
  if (!files) throw new DomainError("INTERNAL", { reason: "no file store" });
  const [post] = await ctx.db
    .select({ state: notifications.state })
    .from(notifications)
    .where(eq(notifications.idempotencyKey, job.key));
  const now = ctx.clock.now();
  const waiting = post && (post.state === "pending" || post.state === "sending");
  if (!waiting) {
    await files.remove(job.path);
    return "removed";
  }
  if (now.getTime() - Date.parse(job.queuedAt) >= REPORT_FILE_RETENTION_MS) {
    await files.remove(job.path);
    return "expired";
  }
  await scheduleJob(ctx.db, {
    kind: "report_file_cleanup",
    key: jobKeyOf(job.key),
    runAt: new Date(now.getTime() + REPORT_FILE_CHECK_MS),
    payload: job,
  });
  return "waiting";
}
