import { and, asc, eq, gte, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type ScheduledJob, scheduledJobs } from "../../../drizzle/schema/index.js";
import type { Clock, JobKind, MetricsPort, ServiceContext } from "../../domain/index.js";
import type { Logger } from "../../logger.js";

/**
 * What runs a job of each kind: a domain verb called as the system, idempotent when
 * retried. An instance claims only the kinds it has a handler for.
 */
export type JobHandlers = Partial<
  Record<JobKind, (ctx: ServiceContext, payload: Record<string, unknown>) => Promise<unknown>>
>;

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  /** The system's context (jobs act as nobody in particular). */
  system: () => ServiceContext;
  handlers: JobHandlers;
  logger: Logger;
  /** How long a claimed job is this instance's before another may take it over (default 5 min). */
  leaseMs?: number;
  batchSize?: number;
  /** Longest sleep between rounds (default 5 s): the shortest wait a new job can see. */
  idleMs?: number;
  /** Attempts before a failing job is left as failed (default 8). */
  maxAttempts?: number;
  /** Told how long each claim took and how many jobs it took (bench:sla). */
  onClaim?: (ms: number, jobs: number) => void;
  /** Counts each run by kind and outcome (GET /metrics). */
  metrics?: MetricsPort;
}

/**
 * Runs the schedule (DESIGN "Time"): each round claims due jobs — pending ones whose
 * time came by the injected clock, and running ones whose lease ran out (their
 * instance died) — with FOR UPDATE SKIP LOCKED, so several instances never take the
 * same job; marks them running with a lease, commits, runs each handler, and marks
 * it done. A failure is retried later (1 min doubling, at most 1 h) and left as
 * failed after maxAttempts. Handlers re-check what they act on, so a job run twice
 * (a crash after the work, before "done") changes nothing the second time.
 */
export function createScheduler(opts: SchedulerOptions) {
  const { db, clock, logger } = opts;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const batchSize = opts.batchSize ?? 50;
  const idleMs = opts.idleMs ?? 5_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const kinds = Object.keys(opts.handlers);

  async function claim(): Promise<ScheduledJob[]> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      // A job that took its instance down (never finished, lease ran out) fails once it
      // used its attempts instead of being taken over for ever.
      await tx
        .update(scheduledJobs)
        .set({ state: "failed", finishedAt: now, lastError: "its run never finished (a crash?)" })
        .where(
          and(
            eq(scheduledJobs.state, "running"),
            lte(scheduledJobs.leaseUntil, now),
            gte(scheduledJobs.attempts, maxAttempts),
          ),
        );
      const due = await tx
        .select({ id: scheduledJobs.id })
        .from(scheduledJobs)
        .where(
          and(
            // Only kinds this instance can run: an older instance in a rolling deploy leaves newer ones be.
            inArray(scheduledJobs.kind, kinds),
            or(
              and(eq(scheduledJobs.state, "pending"), lte(scheduledJobs.runAt, now)),
              and(eq(scheduledJobs.state, "running"), lte(scheduledJobs.leaseUntil, now)),
            ),
          ),
        )
        .orderBy(asc(scheduledJobs.runAt))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(scheduledJobs)
        .set({
          state: "running",
          leaseUntil: new Date(now.getTime() + leaseMs),
          attempts: sql`${scheduledJobs.attempts} + 1`,
        })
        .where(
          inArray(
            scheduledJobs.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
    });
  }

  async function runOne(job: ScheduledJob): Promise<void> {
    const handler = opts.handlers[job.kind as JobKind];
    // Only this run's claim is finished (its attempt and lease): a job taken over after its
    // lease ran out, or rescheduled meanwhile, is the new run's to finish.
    const mine = and(
      eq(scheduledJobs.id, job.id),
      eq(scheduledJobs.state, "running"),
      eq(scheduledJobs.attempts, job.attempts),
      job.leaseUntil ? eq(scheduledJobs.leaseUntil, job.leaseUntil) : undefined,
    );
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(opts.system(), job.payload);
      await db
        .update(scheduledJobs)
        .set({ state: "done", finishedAt: clock.now(), lastError: null })
        .where(mine);
      opts.metrics?.job(job.kind, "ran");
    } catch (err) {
      opts.metrics?.job(job.kind, "failed");
      const failed = job.attempts >= maxAttempts;
      const backoff = Math.min(60_000 * 2 ** (job.attempts - 1), 3_600_000);
      logger.warn({ err, job: job.id, kind: job.kind, attempts: job.attempts }, "scheduled job failed");
      await db
        .update(scheduledJobs)
        .set({
          state: failed ? "failed" : "pending",
          runAt: new Date(clock.now().getTime() + backoff),
          leaseUntil: null,
          lastError: String(err instanceof Error ? err.message : err).slice(0, 1000),
          ...(failed ? { finishedAt: clock.now() } : {}),
        })
        .where(mine);
    }
  }

  /** How long until the earliest pending job of this instance's kinds is due (idleMs at most). */
  async function untilNextDue(): Promise<number> {
    const [row] = await db
      .select({ at: sql<string | null>`min(${scheduledJobs.runAt})` })
      .from(scheduledJobs)
      .where(and(eq(scheduledJobs.state, "pending"), inArray(scheduledJobs.kind, kinds)));
    if (!row?.at) return idleMs;
    return Math.min(idleMs, Math.max(10, new Date(row.at).getTime() - clock.now().getTime()));
  }

  /** One round: claims what is due and runs it; returns how many jobs ran. */
  async function runDue(): Promise<number> {
    const started = performance.now();
    const jobs = await claim();
    opts.onClaim?.(performance.now() - started, jobs.length);
    for (const job of jobs) await runOne(job);
    return jobs.length;
  }

  return {
    runDue,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          const ran = await runDue().catch((err) => {
            logger.error({ err }, "scheduler round failed");
            return 0;
          });
          if (ran === 0 && running) {
            // Sleep until the next job is due (an SLA breach is raised on time), at most idleMs.
            const wait = await untilNextDue().catch(() => idleMs);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, wait);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
