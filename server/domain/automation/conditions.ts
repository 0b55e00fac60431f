import type { AutomationRule, RuleCondition, Ticket } from "../../../drizzle/schema/index.js";

/** What a rule's conditions are compared with: the ticket as it is when the rule runs. */
export interface RuleFacts {
  ticket: Pick<Ticket, "categoryId" | "branchId" | "priority" | "status" | "title" | "description">;
  labelIds: string[];
  requesterLanguage: string | null;
  /** The message a message_created rule runs for. */
  message?: { body: string; byRequester: boolean };
}

/**
 * Text as searched: lower case, Arabic yeh and kaf as their Persian forms (a keyboard
 * may type either), zero-width non-joiners and repeated spaces as one space.
 */
export function normalizeRuleText(text: string): string {
  return text
    .toLocaleLowerCase()
    .replace(/[يى]/g, "ی")
    .replace(/ك/g, "ک")
    .replace(/[\u200c\s]+/g, " ")
    .trim();
}

function fieldValues(c: RuleCondition, f: RuleFacts): Array<string | null> {
  switch (c.field) {
    case "category":
      return [f.ticket.categoryId];
    case "branch":
      return [f.ticket.branchId];
    case "priority":
      return [f.ticket.priority];
    case "status":
      return [f.ticket.status];
    case "label":
      return f.labelIds;
    case "requester_language":
      return [f.requesterLanguage];
    case "author":
      return f.message ? [f.message.byRequester ? "requester" : "staff"] : [];
    case "text":
      // Message rules search the message; ticket rules the title and description.
      return [f.message ? f.message.body : `${f.ticket.title}\n${f.ticket.description}`];
  }
}

export function conditionHolds(c: RuleCondition, f: RuleFacts): boolean {
  const values = fieldValues(c, f);
  if (c.op === "contains") {
    const needle = normalizeRuleText(c.value);
    return values.some((v) => v !== null && normalizeRuleText(v).includes(needle));
  }
  const has = values.includes(c.value);
  return c.op === "is" ? has : !has;
}

/** Whether a rule applies: all or any of its conditions hold (a rule without conditions always applies). */
export function ruleMatches(rule: Pick<AutomationRule, "match" | "conditions">, f: RuleFacts): boolean {
  if (rule.conditions.length === 0) return true;
  return rule.match === "any"
    ? rule.conditions.some((c) => conditionHolds(c, f))
    : rule.conditions.every((c) => conditionHolds(c, f));
}
