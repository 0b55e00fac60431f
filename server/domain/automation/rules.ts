import { asc, eq } from "drizzle-orm";
import { type AutomationRule, automationRules } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, requireRole } from "../permissions.js";
import { parseInput } from "../validate.js";
import { requireKnownRuleRefs } from "./refs.js";
import { createRuleSchema, deleteRuleSchema, ruleIssues, updateRuleSchema } from "./schemas.js";

const ENTITY = "automation_rule";

/** Every automation rule, active or not, by event and position (admins and owners). */
export async function listAutomationRules({
  ctx,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<AutomationRule[]> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "automation_rule.read");
  return ctx.db
    .select()
    .from(automationRules)
    .orderBy(asc(automationRules.event), asc(automationRules.position), asc(automationRules.createdAt));
}

/** Adds a rule (admins and owners): every id it names must exist. Audited. */
export async function createAutomationRule({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<AutomationRule> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "automation_rule.create");
  const data = parseInput(createRuleSchema, input);
  const issues = ruleIssues(data);
  if (issues.length) throw new DomainError("VALIDATION", {}, issues);
  return ctx.db.transaction(async (tx) => {
    await requireKnownRuleRefs(tx, data);
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(automationRules)
      .values({ ...data, createdAt: now, updatedAt: now })
      .returning();
    await writeAudit(tx, ctx.actor, {
      action: "automation_rule.create",
      entity: ENTITY,
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/** Changes a rule (admins and owners); the rules across fields are checked on the result. Audited. */
export async function updateAutomationRule({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<AutomationRule> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "automation_rule.update");
  const { id, ...patch } = parseInput(updateRuleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(automationRules).where(eq(automationRules.id, id)).for("update");
    if (!before) throw new DomainError("NOT_FOUND", { entity: ENTITY, id });
    const issues = ruleIssues({ ...before, ...patch });
    if (issues.length) throw new DomainError("VALIDATION", {}, issues);
    await requireKnownRuleRefs(tx, patch);
    const [row] = await tx
      .update(automationRules)
      .set({ ...patch, updatedAt: ctx.clock.now() })
      .where(eq(automationRules.id, id))
      .returning();
    await writeAudit(tx, ctx.actor, {
      action: "automation_rule.update",
      entity: ENTITY,
      entityId: id,
      before,
      after: row,
    });
    return row;
  });
}

/** Removes a rule (admins and owners); its past runs stay in the tickets' history by name. Audited. */
export async function deleteAutomationRule({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<void> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "automation_rule.delete");
  const { id } = parseInput(deleteRuleSchema, input);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.delete(automationRules).where(eq(automationRules.id, id)).returning();
    if (!before) throw new DomainError("NOT_FOUND", { entity: ENTITY, id });
    await writeAudit(tx, ctx.actor, {
      action: "automation_rule.delete",
      entity: ENTITY,
      entityId: id,
      before,
    });
  });
}
