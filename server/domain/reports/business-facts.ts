import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  businessCalendars,
  reportBusinessIntervals,
  reportBusinessSpans,
} from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { rowsOf } from "../delivery/budget.js";
import { DomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { continueRunningJob, scheduleJob } from "../schedule/jobs.js";
import { workingTable } from "./business-hours.js";

/**
 * The business seconds kept in the duration facts (docs/REPORTS.md "Business hours"):
 * the `report_business_hours` job writes each calendar's working intervals where the
 * facts' SQL reads them, then computes every stored duration again, BATCH tickets per
 * run, each batch one transaction (a million tickets never sit in one, and a ticket's
 * refresh waits for a batch's row locks only briefly). The calendars' trigger (migration
 * `report_business_hours_triggers`) clears the intervals and the `ready` flag on any
 * change; the calendar verbs queue this job.
 */
const JOB_KEY = "report_business_hours";
const BATCH = 20_000;
const DAY = 86_400_000;
/** Intervals reach this far ahead of the run; the job runs again before they run out. */
const AHEAD = 400 * DAY;
const RENEW_BEFORE = 60 * DAY;

/** Queues a rebuild in the caller's transaction (a calendar was created, changed or deleted). */
export async function scheduleBusinessHoursRebuild(tx: DbOrTx, now: Date): Promise<void> {
  await scheduleJob(tx, { kind: "report_business_hours", key: JOB_KEY, runAt: now, payload: {} });
}

/** At start: calendars exist and their seconds are not built (after the migration, a hand edit). */
export async function needsBusinessHoursRebuild(db: DbOrTx): Promise<boolean> {
  const [row] = rowsOf<{ stale: boolean }>(
    await db.execute(sql`select exists (select 1 from business_calendars)
      and not coalesce((select ready from report_business_state where id = 1), false) as stale`),
  );
  return row?.stale === true;
}

interface Step {
  generation?: number;
  after?: string;
}

/** What a step left: the next step, or the walk ended (built, nothing to build, or stale). */
type StepResult = { next: Step } | { ended: "built" | "no_calendars" | "stale" };

/**
 * One step of the job: the first writes the intervals (for the calendars as they are
 * under the state row's lock) and remembers their generation; each next one recomputes a
 * batch of tickets; the last sets `ready` — unless a calendar changed meanwhile (the
 * generation moved on: the intervals are gone and the walk is worthless).
 */
export async function stepBusinessHours(db: DbOrTx, now: Date, input: Step): Promise<StepResult> {
  return db.transaction(async (tx) => {
    // The row the migration wrote; written again if it went missing, so the walk can end.
    await tx.execute(sql`insert into report_business_state (id) values (1) on conflict (id) do nothing`);
    const [state] = rowsOf<{ generation: number }>(
      await tx.execute(sql`select generation from report_business_state where id = 1 for update`),
    );
    if (!state) return { ended: "stale" };
    if (input.generation === undefined) {
      // Refreshes that read the old intervals and have not committed yet are waited out, so
      // the walk that follows sees what they wrote (and computes it again).
      await tx.execute(sql`lock table report_ticket_facts, report_responses in share mode`);
      // No calendar: no business hours are shown, nothing to compute (a new one queues this again).
      if (!(await writeIntervals(tx, now))) return { ended: "no_calendars" };
      return { next: { generation: state.generation } };
    }
    if (state.generation !== input.generation) return { ended: "stale" };
    const ids = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from tickets where ${input.after ? sql`id > ${input.after}::uuid` : sql`true`}
        order by id limit ${BATCH}`),
    ).map((r) => r.id);
    if (ids.length > 0)
      await tx.execute(sql`select report_business_recompute(${`{${ids.join(",")}}`}::uuid[])`);
    if (ids.length === BATCH) return { next: { generation: input.generation, after: ids[ids.length - 1] } };
    await tx.execute(sql`update report_business_state set ready = true, built_at = now() where id = 1`);
    return { ended: "built" };
  });
}

/** Each calendar's working intervals up to AHEAD from now; false: no calendar. */
async function writeIntervals(tx: DbOrTx, now: Date): Promise<boolean> {
  const [first] = rowsOf<{ at: number | string | null }>(
    await tx.execute(
      sql`select floor(extract(epoch from min(created_at)) * 1000)::float8 as at from tickets`,
    ),
  );
  // From the first ticket's opening, and at least AHEAD back: tickets opened (or imported)
  // before the span store null seconds, counted in the server until the next run.
  const firstAt = first?.at === null || first?.at === undefined ? now.getTime() : Number(first.at);
  const from = Math.min(firstAt, now.getTime() - AHEAD) - DAY;
  const span = { from, to: now.getTime() + AHEAD };
  await tx.delete(reportBusinessIntervals);
  await tx.delete(reportBusinessSpans);
  const calendars = await tx.select().from(businessCalendars);
  for (const c of calendars) {
    // Hours out of order: no intervals, its durations stay null and are counted row by row.
    const table = workingTable({ timeZone: c.timeZone, week: c.week, holidays: c.holidays }, span);
    if (!table) continue;
    const rows = table.starts.map((s, i) => ({
      calendarId: c.id,
      startsMs: s,
      endsMs: table.ends[i],
      beforeMs: table.before[i],
    }));
    for (let i = 0; i < rows.length; i += 1000)
      await tx.insert(reportBusinessIntervals).values(rows.slice(i, i + 1000));
    await tx.insert(reportBusinessSpans).values({ calendarId: c.id, fromMs: span.from, toMs: span.to });
  }
  return calendars.length > 0;
}

/**
 * The scheduler's report_business_hours job: one step, then the next one queued; at the
 * end the renewal that widens the span before it runs out, or — a calendar changed by
 * hand meanwhile (the verbs queue a fresh walk themselves) — a walk from the start.
 */
export async function runReportBusinessHours({ ctx, input }: { ctx: ServiceContext; input: Step }) {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "reports.business_hours" });
  const now = ctx.clock.now();
  const result = await stepBusinessHours(ctx.db, now, input);
  // The queued step replaces this running job: the worker then leaves it pending, not done.
  if ("next" in result) await requeue(ctx.db, now, result.next);
  else if (result.ended === "built")
    await requeue(ctx.db, new Date(now.getTime() + AHEAD - RENEW_BEFORE), {});
  else if (result.ended === "stale") await requeue(ctx.db, now, {});
}

const requeue = (db: DbOrTx, runAt: Date, payload: Step) =>
  continueRunningJob(db, JOB_KEY, { runAt, payload: { ...payload } });

/** Every step at once (the bench, tests, `npm run reports:rollups`): the same as the job's walk. */
export async function rebuildBusinessHours(db: DbOrTx, now: Date): Promise<void> {
  let result = await stepBusinessHours(db, now, {});
  while ("next" in result) result = await stepBusinessHours(db, now, result.next);
}
