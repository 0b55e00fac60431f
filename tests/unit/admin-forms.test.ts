import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ruleForm, scheduleForm, slaPolicyForm } from "../../miniapp/src/forms/admin-forms.js";
import {
  createRuleSchema,
  createScheduledReportSchema,
  createSlaPolicySchema,
  ruleIssues,
} from "../../server/domain/index.js";
import { issuesOf } from "../../server/domain/validate.js";

/**
 * The Mini App checks the schedule, SLA policy and rule forms before sending them
 * (miniapp/src/forms/admin-forms.ts repeats the server's rules, since it may import no
 * server code at run time). A mistake must be said beside the same field the server's
 * 422 would name, with the same words where the server has its own code.
 */
type Issue = { path: string; code: string; limit?: number };
const firstByPath = (issues: Issue[]) => {
  const out: Record<string, Issue> = {};
  for (const i of issues) out[i.path] ??= { path: i.path, code: i.code, limit: i.limit };
  return out;
};
/** The first issue of each field, as the form shows them (ours) or the 422 names them (the server's). */
const issuesBy = (schema: z.ZodType, v: unknown) =>
  firstByPath(issuesOf(schema.safeParse(v).error ?? { issues: [] }));
const clientIssues = issuesBy;
const serverIssues = issuesBy;

const schedule = {
  chatId: null,
  report: "volume",
  format: "pdf",
  frequency: "weekly",
  weekday: 6,
  monthDay: null,
  time: "08:00",
  timeZone: "Asia/Tehran",
  language: "fa",
};

describe("the scheduled report form's own check", () => {
  it("passes what the server takes", () => {
    expect(clientIssues(scheduleForm, schedule)).toEqual({});
    expect(serverIssues(createScheduledReportSchema, schedule)).toEqual({});
  });

  it.each([
    ["a time that does not exist", { time: "25:00" }, "time"],
    ["an unknown zone", { timeZone: "Mars/Olympus" }, "timeZone"],
    ["a month day past 31", { frequency: "monthly", weekday: null, monthDay: 32 }, "monthDay"],
    ["chat 0", { chatId: 0 }, "chatId"],
  ])("names the field the server would for %s", (_what, change, path) => {
    const value = { ...schedule, ...change };
    expect(Object.keys(clientIssues(scheduleForm, value))).toEqual([path]);
    expect(Object.keys(serverIssues(createScheduledReportSchema, value))).toEqual([path]);
  });

  it("says an unknown zone with the server's own code", () => {
    const value = { ...schedule, timeZone: "Mars/Olympus" };
    expect(clientIssues(scheduleForm, value).timeZone.code).toBe("bad_time_zone");
    expect(serverIssues(createScheduledReportSchema, value).timeZone.code).toBe("bad_time_zone");
  });
});

const policy = {
  name: "Urgent network",
  priority: "high",
  categoryId: null,
  branchId: null,
  firstResponseMinutes: 90,
  nextResponseMinutes: null,
  resolutionMinutes: 480,
  warnPercent: 20,
  warnMinutes: null,
  businessHours: false,
  active: true,
  escalation: {},
};

describe("the SLA policy form's own check", () => {
  it.each([
    ["no target", { firstResponseMinutes: null, resolutionMinutes: null }],
    ["a warning not below the smallest target", { warnMinutes: 100 }],
    ["a warning percent of 0", { warnPercent: 0 }],
    ["an empty name", { name: " " }],
    ["a target of a year and a day", { resolutionMinutes: 525_601 }],
  ])("says %s as the server does (field, code, bound)", (_what, change) => {
    const value = { ...policy, ...change };
    const ours = clientIssues(slaPolicyForm, value);
    expect(Object.keys(ours).length).toBe(1);
    expect(ours).toEqual(serverIssues(createSlaPolicySchema, value));
  });
});

const rule = {
  name: "VPN is urgent",
  event: "ticket_created",
  match: "all",
  active: true,
  position: 0,
  conditions: [{ field: "text", op: "contains", value: "vpn" }],
  actions: [{ type: "set_priority", value: "high" }],
};
const serverRuleIssues = (value: typeof rule) => {
  const parsed = createRuleSchema.safeParse(value);
  return parsed.success ? firstByPath(ruleIssues(parsed.data)) : serverIssues(createRuleSchema, value);
};

describe("the automation rule form's own check", () => {
  it("passes what the server takes", () => {
    expect(clientIssues(ruleForm, rule)).toEqual({});
    expect(serverRuleIssues(rule)).toEqual({});
  });

  it.each([
    ["text compared with is", { conditions: [{ field: "text", op: "is", value: "vpn" }] }],
    ["an empty text", { conditions: [{ field: "text", op: "contains", value: " " }] }],
    ["the author on a ticket event", { conditions: [{ field: "author", op: "is", value: "staff" }] }],
    ["a chat id that is not a number", { actions: [{ type: "notify_chat", chatId: "abc", text: "VPN" }] }],
    ["no action", { actions: [] }],
    ["a position below 0", { position: -1 }],
  ])("names the field the server would for %s", (_what, change) => {
    const value = { ...rule, ...change } as typeof rule;
    const ours = clientIssues(ruleForm, value);
    const theirs = serverRuleIssues(value);
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    for (const path of Object.keys(ours)) expect(ours[path].code).toBe(theirs[path].code);
  });
});
