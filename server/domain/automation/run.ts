import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  type AutomationRule,
  automationRules,
  messages,
  RULE_EVENTS,
  scheduledJobs,
  type Ticket,
  ticketLabels,
  tickets,
  users,
} from "../../../drizzle/schema/index.js";
import { type ServiceContext, SYSTEM_ACTOR } from "../context.js";
import { DomainError } from "../errors.js";
import { changeEventOf, writeEvent } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { applyRuleAction } from "./actions.js";
import { type RuleFacts, ruleMatches } from "./conditions.js";
import { automationJobKey } from "./queue.js";

const automationJobSchema = z.object({
  ticketId: z.uuid(),
  event: z.enum(RULE_EVENTS),
  messageId: z.uuid().optional(),
  changedBy: z.uuid().nullish(),
  /** Rules this job ran already (a retried job does not run them twice). */
  doneRules: z.array(z.string()).optional(),
});

/**
 * The `automation` job: the active rules of the event, in position order, each on the
 * ticket as it is when its turn comes (an earlier rule's change is seen by later ones).
 * A rule that matches writes an `automation` history row ("by rule X") and carries out
 * its actions as the system, in one transaction per rule. A rule whose action is
 * refused (an assignee who left, a category made inactive) is undone and written down
 * as failed; the rules after it still run.
 */
export async function runAutomation({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<number> {
  const job = parseInput(automationJobSchema, input);
  const rules = await ctx.db
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.event, job.event), eq(automationRules.active, true)))
    .orderBy(asc(automationRules.position), asc(automationRules.createdAt));
  const done = new Set(job.doneRules ?? []);
  let ran = 0;
  for (const rule of rules) {
    if (done.has(rule.id)) continue;
    const ruleCtx: ServiceContext = { ...ctx, actor: SYSTEM_ACTOR, rule: { id: rule.id, name: rule.name } };
    try {
      const changed = await ctx.db.transaction((tx) => runRule(tx, ruleCtx, rule, job));
      if (changed) {
        ran++;
        ctx.notify.changed(changeEventOf("ticket.updated", changed));
      }
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await ctx.db.transaction(async (tx) => {
        await markRuleDone(tx, job, rule.id);
        await writeEvent(tx, ruleCtx, job.ticketId, "automation", {
          to: rule.name,
          comment: `failed:${err.code}`,
        });
      });
    }
  }
  return ran;
}

type AutomationJob = z.infer<typeof automationJobSchema>;

async function runRule(
  tx: DbOrTx,
  ctx: ServiceContext,
  rule: AutomationRule,
  job: AutomationJob,
): Promise<Ticket | null> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, job.ticketId)).for("update");
  if (!ticket) return null;
  await markRuleDone(tx, job, rule.id);
  const facts = await readRuleFacts(tx, ticket, job.messageId);
  if (!facts || !ruleMatches(rule, facts)) return null;
  const eventId = await writeEvent(tx, ctx, ticket.id, "automation", { to: rule.name, comment: job.event });
  let current = ticket;
  for (const action of rule.actions) current = await applyRuleAction(tx, ctx, current, action, eventId);
  return current;
}

/** The ticket's facts as a rule compares them; null when the job's message is gone. */
async function readRuleFacts(tx: DbOrTx, ticket: Ticket, messageId?: string): Promise<RuleFacts | null> {
  const labels = await tx
    .select({ id: ticketLabels.labelId })
    .from(ticketLabels)
    .where(eq(ticketLabels.ticketId, ticket.id));
  const [requester] = await tx
    .select({ language: users.language })
    .from(users)
    .where(eq(users.id, ticket.requesterId));
  const facts: RuleFacts = {
    ticket,
    labelIds: labels.map((l) => l.id),
    requesterLanguage: requester?.language ?? null,
  };
  if (!messageId) return facts;
  const [message] = await tx
    .select({ body: messages.body, authorId: messages.authorId })
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.ticketId, ticket.id)));
  if (!message) return null;
  return { ...facts, message: { body: message.body, byRequester: message.authorId === ticket.requesterId } };
}

/**
 * Notes on the job's row that a rule had its turn, with the rule's own writes: a job
 * retried after a crash skips it. Only while this run holds the job — one re-queued
 * meanwhile for a newer change starts over.
 */
async function markRuleDone(tx: DbOrTx, job: AutomationJob, ruleId: string): Promise<void> {
  await tx
    .update(scheduledJobs)
    .set({
      payload: sql`jsonb_set(${scheduledJobs.payload}, '{doneRules}',
        coalesce(${scheduledJobs.payload} -> 'doneRules', '[]'::jsonb) || ${JSON.stringify([ruleId])}::jsonb)`,
    })
    .where(and(eq(scheduledJobs.key, automationJobKey(job)), eq(scheduledJobs.state, "running")));
}
