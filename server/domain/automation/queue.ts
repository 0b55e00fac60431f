import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { automationRules, type RuleEvent } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { scheduleJob } from "../schedule/jobs.js";

/** What an `automation` job is told: which ticket, which event, and for messages which one. */
export interface AutomationPayload {
  ticketId: string;
  event: RuleEvent;
  messageId?: string;
  changedBy?: string | null;
}

/** Whether any active rule listens to the event (one indexed lookup: automation_rules_event_idx). */
export async function hasActiveRules(tx: DbOrTx, event: RuleEvent): Promise<boolean> {
  const [row] = await tx
    .select({ yes: sql<number>`1` })
    .from(automationRules)
    .where(and(eq(automationRules.event, event), eq(automationRules.active, true)))
    .limit(1);
  return row !== undefined;
}

/**
 * The job key of an event: a ticket's changes share one pending job per event (two quick
 * changes are evaluated once, on the ticket as it then is); each message has its own.
 */
export function automationJobKey(p: Pick<AutomationPayload, "ticketId" | "event" | "messageId">): string {
  return p.messageId ? `automation:message:${p.messageId}` : `automation:${p.ticketId}:${p.event}`;
}

/**
 * Queues the rules of an event in the change's transaction, when a rule listens to it.
 * A change a rule made queues nothing (ctx.rule): rules never trigger rules.
 */
export async function queueAutomation(
  tx: DbOrTx,
  ctx: ServiceContext,
  p: Omit<AutomationPayload, "changedBy">,
): Promise<void> {
  if (ctx.rule || !(await hasActiveRules(tx, p.event))) return;
  await scheduleJob(tx, {
    kind: "automation",
    key: automationJobKey(p),
    runAt: ctx.clock.now(),
    payload: { ...p, changedBy: ctx.actor.id },
  });
}
