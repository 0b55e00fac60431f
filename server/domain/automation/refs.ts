import { inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  branches,
  cannedReplies,
  categories,
  labels,
  type RuleAction,
  type RuleCondition,
  users,
} from "../../../drizzle/schema/index.js";
import { DomainError, type FieldIssue } from "../errors.js";
import { isWorker } from "../permissions.js";

type Ref = { path: string; id: string };

/**
 * Every id a rule names must exist when it is saved: categories, branches and labels
 * of its conditions and actions, an assignee who is active staff, a canned reply.
 * VALIDATION with one issue per unknown id (code rule_unknown_ref).
 */
export async function requireKnownRuleRefs(
  tx: DbOrTx,
  rule: { conditions?: RuleCondition[]; actions?: RuleAction[] },
): Promise<void> {
  const want = {
    category: [] as Ref[],
    branch: [] as Ref[],
    label: [] as Ref[],
    user: [] as Ref[],
    canned: [] as Ref[],
  };
  (rule.conditions ?? []).forEach((c, i) => {
    if (c.field === "category" || c.field === "branch" || c.field === "label")
      want[c.field].push({ path: `conditions.${i}.value`, id: c.value });
  });
  (rule.actions ?? []).forEach((a, i) => {
    const path = `actions.${i}`;
    if (a.type === "set_category") want.category.push({ path: `${path}.value`, id: a.value });
    if (a.type === "add_label") want.label.push({ path: `${path}.value`, id: a.value });
    if (a.type === "assign") want.user.push({ path: `${path}.userId`, id: a.userId });
    if (a.type === "send_canned") want.canned.push({ path: `${path}.cannedReplyId`, id: a.cannedReplyId });
  });
  const known = async (refs: Ref[], lookup: (ids: string[]) => Promise<Array<{ id: string }>>) => {
    if (refs.length === 0) return new Set<string>();
    return new Set((await lookup([...new Set(refs.map((r) => r.id))])).map((r) => r.id));
  };
  const found = {
    category: await known(want.category, (ids) =>
      tx.select({ id: categories.id }).from(categories).where(inArray(categories.id, ids)),
    ),
    branch: await known(want.branch, (ids) =>
      tx.select({ id: branches.id }).from(branches).where(inArray(branches.id, ids)),
    ),
    label: await known(want.label, (ids) =>
      tx.select({ id: labels.id }).from(labels).where(inArray(labels.id, ids)),
    ),
    user: await known(want.user, async (ids) =>
      (await tx.select().from(users).where(inArray(users.id, ids))).filter((u) => u.isActive && isWorker(u)),
    ),
    canned: await known(want.canned, (ids) =>
      tx.select({ id: cannedReplies.id }).from(cannedReplies).where(inArray(cannedReplies.id, ids)),
    ),
  };
  const issues: FieldIssue[] = [];
  for (const kind of Object.keys(want) as Array<keyof typeof want>)
    for (const ref of want[kind])
      if (!found[kind].has(ref.id))
        issues.push({ path: ref.path, code: "rule_unknown_ref", message: "rule_unknown_ref" });
  if (issues.length) throw new DomainError("VALIDATION", {}, issues);
}
