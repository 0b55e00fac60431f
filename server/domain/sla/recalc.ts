import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { scheduledJobs, tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem } from "../permissions.js";
import { stepSla } from "./follow.js";
import { loadSlaRules } from "./rules.js";
import { writeSlaClocks } from "./store.js";

const BATCH = 500;
const UNFINISHED = ["open", "in_progress", "waiting_customer"] as const;

/**
 * The scheduler's sla_recalc job: reads the clock of every unfinished ticket again
 * (after a policy or calendar edit, or at start for tickets from before SLA
 * clocks), BATCH tickets per run in id order, each batch one transaction. It
 * queues its own next batch — unless an edit asked for a walk from the start
 * meanwhile (the job is pending again then, and that walk covers everything).
 */
export async function recalcSlaClocks({ ctx, input }: { ctx: ServiceContext; input: { after?: string } }) {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "sla.recalc" });
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const rules = await loadSlaRules(tx);
    const batch = await tx
      .select()
      .from(tickets)
      .where(
        and(inArray(tickets.status, [...UNFINISHED]), input.after ? gt(tickets.id, input.after) : undefined),
      )
      .orderBy(asc(tickets.id))
      .limit(BATCH)
      .for("update");
    await writeSlaClocks(
      tx,
      batch.map((t) => stepSla(rules, t, { kind: "recalc" }, now)),
    );
    const last = batch.at(-1);
    if (batch.length === BATCH && last)
      await tx
        .update(scheduledJobs)
        .set({
          state: "pending",
          runAt: now,
          payload: { after: last.id },
          leaseUntil: null,
          attempts: 0,
          lastError: null,
        })
        .where(and(eq(scheduledJobs.key, "sla_recalc"), eq(scheduledJobs.state, "running")));
    return { recalculated: batch.length };
  });
}

/**
 * At start: when unfinished tickets have no clock yet (they were opened before SLA
 * clocks existed), the walk above gives them one.
 */
export async function needsSlaBackfill(ctx: Pick<ServiceContext, "db">): Promise<boolean> {
  const [row] = await ctx.db
    .select({ one: sql<number>`1` })
    .from(tickets)
    .where(and(inArray(tickets.status, [...UNFINISHED]), sql`${tickets.slaClock} is null`))
    .limit(1);
  return row !== undefined;
}
