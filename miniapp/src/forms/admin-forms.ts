import { z } from "zod";

/**
 * The schedule, SLA policy and automation rule forms' rules, checked before anything
 * is sent so a mistake is said beside its field at once. The Mini App may import no
 * server code at run time (tests/unit/import-rules.test.ts), so these repeat the
 * server's schemas (server/domain/report-delivery/schemas.ts, sla/schemas.ts,
 * automation/schemas.ts; the business calendar's are in calendar-form.ts) with their issue codes; the server checks again, and its 422
 * is shown the same way, so a bound that drifts is still said, one round trip later.
 */

/** A rule of ours broken: its code (and bound) travel in params, as the server's do. */
const own = (code: string, limit?: number) => ({
  params: limit === undefined ? { code } : { code, limit },
});

/** A Telegram chat id: a private chat (positive) or a group (negative), never 0. */
const chatId = z
  .number()
  .int()
  .refine((n) => n !== 0, own("chat_id"));

/** Whether the browser knows the IANA zone (Intl throws a RangeError on an unknown one). */
export const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** The form always names the day its frequency needs (weekday or day of the month). */
export const scheduleForm = z.object({
  chatId: chatId.nullable(),
  weekday: z.number().int().min(0).max(6).nullable(),
  monthDay: z.number().int().min(1).max(31).nullable(),
  time: z.string().refine((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), own("bad_time")),
  timeZone: z.string().trim().min(1).max(64).refine(isTimeZone, own("bad_time_zone")),
});

/** A target in minutes: one minute to one year. */
const minutes = z.number().int().min(1).max(525_600);

export const slaPolicyForm = z
  .object({
    name: z.string().trim().min(1).max(100),
    firstResponseMinutes: minutes.nullable(),
    nextResponseMinutes: minutes.nullable(),
    resolutionMinutes: minutes.nullable(),
    warnPercent: z.number().int().min(1).max(90),
    warnMinutes: minutes.nullable(),
    escalation: z.object({ notifyChatId: z.number().int().optional() }),
  })
  .superRefine((p, ctx) => {
    // At least one target, and a warning in minutes before the smallest (sla/schemas.ts policyIssues).
    const targets = [p.firstResponseMinutes, p.nextResponseMinutes, p.resolutionMinutes].filter(
      (n): n is number => n !== null,
    );
    if (targets.length === 0)
      ctx.addIssue({ code: "custom", path: ["firstResponseMinutes"], ...own("no_sla_target") });
    else if (p.warnMinutes !== null && p.warnMinutes >= Math.min(...targets))
      ctx.addIssue({
        code: "custom",
        path: ["warnMinutes"],
        ...own("warn_not_below_target", Math.min(...targets)),
      });
  });

const uuid = z.uuid();
/** What a condition's value must be, by field (ids are checked against the tables by the server). */
const conditionValueOk = (field: string, value: string) =>
  field === "text"
    ? value.trim().length >= 1 && value.trim().length <= 200
    : ["category", "branch", "label"].includes(field)
      ? uuid.safeParse(value).success
      : value !== "";

const ruleCondition = z
  .object({ field: z.string(), op: z.string(), value: z.string().max(200) })
  .superRefine((c, ctx) => {
    // Text is searched in; everything else is one value that is or is not the ticket's.
    if ((c.field === "text") !== (c.op === "contains"))
      ctx.addIssue({ code: "custom", path: ["op"], ...own("rule_bad_operator") });
    if (!conditionValueOk(c.field, c.value))
      ctx.addIssue({ code: "custom", path: ["value"], ...own("rule_bad_value") });
  });

/** Each action's own inputs; a choice left empty reads as "required". */
const required = z.string().trim().min(1);
const ruleAction = z.discriminatedUnion("type", [
  z.object({ type: z.literal("set_priority"), value: required }),
  z.object({ type: z.literal("set_category"), value: uuid }),
  z.object({ type: z.literal("add_label"), value: uuid }),
  z.object({ type: z.literal("set_status"), value: required }),
  z.object({ type: z.literal("assign"), userId: uuid }),
  z.object({ type: z.literal("assign_auto") }),
  z.object({ type: z.literal("add_note"), body: z.string().trim().min(1).max(4000) }),
  z.object({ type: z.literal("send_canned"), cannedReplyId: uuid }),
  z.object({ type: z.literal("notify_chat"), chatId, text: z.string().trim().min(1).max(1000) }),
]);

export const ruleForm = z
  .object({
    name: z.string().trim().min(1).max(100),
    event: z.string(),
    conditions: z.array(ruleCondition).max(20),
    actions: z.array(ruleAction).min(1).max(10),
    position: z.number().int().min(0).max(10_000),
  })
  .superRefine((r, ctx) => {
    // Who wrote is a message's fact: a ticket event has no author to compare (automation/schemas.ts).
    r.conditions.forEach((c, i) => {
      if (c.field === "author" && r.event !== "message_created")
        ctx.addIssue({
          code: "custom",
          path: ["conditions", i, "field"],
          ...own("rule_author_needs_message"),
        });
    });
  });
