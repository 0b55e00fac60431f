import { z } from "zod";
import { LANGUAGES, PRIORITIES, RULE_EVENTS, TICKET_STATUSES } from "../../../drizzle/schema/index.js";
import type { FieldIssue } from "../errors.js";

const ownIssue = (path: PropertyKey[], code: string) => ({
  code: "custom" as const,
  path,
  message: code,
  params: { code },
});

/** The values a condition's field may be compared with (ids are checked against the tables by the verb). */
const FIELD_VALUES: Record<string, z.ZodType> = {
  category: z.uuid(),
  branch: z.uuid(),
  label: z.uuid(),
  priority: z.enum(PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  requester_language: z.enum(LANGUAGES),
  author: z.enum(["requester", "staff"]),
  text: z.string().trim().min(1).max(200),
};

export const ruleConditionSchema = z
  .object({
    field: z.enum([
      "category",
      "branch",
      "priority",
      "status",
      "label",
      "text",
      "requester_language",
      "author",
    ]),
    op: z.enum(["is", "is_not", "contains"]),
    value: z.string().max(200),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Text is searched in; everything else is one value that is or is not the ticket's.
    if ((c.field === "text") !== (c.op === "contains")) ctx.addIssue(ownIssue(["op"], "rule_bad_operator"));
    if (!FIELD_VALUES[c.field].safeParse(c.value).success)
      ctx.addIssue(ownIssue(["value"], "rule_bad_value"));
  });

export const ruleActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("set_priority"), value: z.enum(PRIORITIES) }).strict(),
  z.object({ type: z.literal("set_category"), value: z.uuid() }).strict(),
  z.object({ type: z.literal("add_label"), value: z.uuid() }).strict(),
  z.object({ type: z.literal("set_status"), value: z.enum(TICKET_STATUSES) }).strict(),
  z.object({ type: z.literal("assign"), userId: z.uuid() }).strict(),
  z.object({ type: z.literal("assign_auto") }).strict(),
  z.object({ type: z.literal("add_note"), body: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ type: z.literal("send_canned"), cannedReplyId: z.uuid() }).strict(),
  z
    .object({
      type: z.literal("notify_chat"),
      chatId: z
        .number()
        .int()
        .refine((n) => n !== 0),
      text: z.string().trim().min(1).max(1000),
    })
    .strict(),
]);

const ruleFields = {
  name: z.string().trim().min(1).max(100),
  event: z.enum(RULE_EVENTS),
  match: z.enum(["all", "any"]),
  conditions: z.array(ruleConditionSchema).max(20),
  actions: z.array(ruleActionSchema).min(1).max(10),
  active: z.boolean(),
  position: z.number().int().min(0).max(10_000),
};

export const createRuleSchema = z
  .object({
    ...ruleFields,
    match: ruleFields.match.default("all"),
    conditions: ruleFields.conditions.default([]),
    active: ruleFields.active.default(true),
    position: ruleFields.position.default(0),
  })
  .strict();
export type CreateRuleInput = z.input<typeof createRuleSchema>;

export const updateRuleSchema = z
  .object({ id: z.uuid(), ...ruleFields })
  .partial()
  .required({ id: true })
  .strict();
export type UpdateRuleInput = z.input<typeof updateRuleSchema>;

export const deleteRuleSchema = z.object({ id: z.uuid() }).strict();

/** Rules across a rule's fields (on create, and on the merged row on update). */
export function ruleIssues(rule: { event: string; conditions: Array<{ field: string }> }): FieldIssue[] {
  // Who wrote is a message's fact: a ticket event has no author to compare.
  return rule.conditions.flatMap((c, i) =>
    c.field === "author" && rule.event !== "message_created"
      ? [
          {
            path: `conditions.${i}.field`,
            code: "rule_author_needs_message",
            message: "rule_author_needs_message",
          },
        ]
      : [],
  );
}
