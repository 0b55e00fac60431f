import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ruleForm, scheduleForm, slaPolicyForm } from "../../miniapp/src/forms/admin-forms.js";
import { calendarForm } from "../../miniapp/src/forms/calendar-form.js";
import {
  createCalendarSchema,
  createRuleSchema,
  createScheduledReportSchema,
  createSlaPolicySchema,
  ruleIssues,
  updateCalendarSchema,
} from "../../server/domain/index.js";
import { issuesOf } from "../../server/domain/validate.js";

/**
 * The Mini App checks the schedule, SLA policy, rule and business calendar forms before
 * sending them (miniapp/src/forms/admin-forms.ts and calendar-form.ts repeat the server's rules, since it may import no
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

const calendar = {
  name: "Tehran office",
  timeZone: "Asia/Tehran",
  week: { "6": [["08:00", "16:00"]], "4": [["08:00", "12:00"]] },
  holidays: ["2026-03-21"],
  branchId: null,
};
/** A day of thirteen short intervals: one more than a day may have. */
const thirteen = Array.from({ length: 13 }, (_, i) => [
  `${String(i + 8).padStart(2, "0")}:00`,
  `${String(i + 8).padStart(2, "0")}:30`,
]);

describe("the business calendar form's own check", () => {
  it.each([
    ["a plain week with a holiday", {}],
    ["the Iran preset with no zone typed", { timeZone: undefined, preset: "iran" }],
    ["the Mon–Fri preset with a zone of its own", { preset: "mon_fri", timeZone: "Europe/Moscow" }],
    [
      "two intervals that touch, and a day to midnight",
      {
        week: {
          "1": [
            ["08:00", "12:00"],
            ["12:00", "24:00"],
          ],
        },
      },
    ],
    [
      "Jalali holidays, also in Persian digits",
      { holidays: ["1405/01/01", { jalali: "۱۴۰۵/۰۱/۱۳" }, { jalali: "1403-12-30" }, "2028-02-29"] },
    ],
    ["a branch's calendar", { branchId: "0b7e4d2a-5c1f-4a8e-9d3b-2f6c8a1e7b90" }],
    ["hours typed on a Persian keyboard", { week: { "6": [["۰۸:۰۰", "۱۶:۳۰"]], "0": [["٠٩:٠٠", "12:00"]] } }],
  ])("passes %s, as the server does", (_what, change) => {
    const value = { ...calendar, ...change };
    expect(clientIssues(calendarForm, value)).toEqual({});
    expect(serverIssues(createCalendarSchema, value)).toEqual({});
    expect(serverIssues(updateCalendarSchema, { ...value, id: crypto.randomUUID() })).toEqual({});
  });

  it.each([
    ["a day whose end is before its start", { week: { "1": [["17:00", "09:00"]] } }, ["week.1.0"]],
    ["an unknown zone", { timeZone: "Mars/Olympus" }, ["timeZone"]],
    ["an empty zone", { timeZone: " " }, ["timeZone"]],
    ["a start without two-digit hours", { week: { "1": [["8:00", "16:00"]] } }, ["week.1.0.0"]],
    ["an end past midnight", { week: { "1": [["08:00", "24:30"]] } }, ["week.1.0.1"]],
    ["a start at midnight's end", { week: { "1": [["24:00", "24:00"]] } }, ["week.1.0.0"]],
    ["a time too long to be one", { week: { "1": [["08:00:00", "16:00"]] } }, ["week.1.0.0"]],
    [
      "intervals that overlap",
      {
        week: {
          "2": [
            ["08:00", "12:00"],
            ["11:00", "16:00"],
          ],
        },
      },
      ["week.2.1"],
    ],
    ["a week with no working hours", { week: {} }, ["week"]],
    ["thirteen intervals in a day", { week: { "3": thirteen } }, ["week.3"]],
    ["a Gregorian day that does not exist", { holidays: ["2026-02-30"] }, ["holidays.0"]],
    [
      "a Jalali day that does not exist",
      { holidays: ["2026-03-21", { jalali: "1404/12/30" }] },
      ["holidays.1"],
    ],
    ["a holiday that is no date", { holidays: ["Nowruz"] }, ["holidays.0"]],
    ["an empty name", { name: " " }, ["name"]],
    ["a branch that is no id", { branchId: "north" }, ["branchId"]],
    [
      "a bad zone and a day backwards at once",
      { timeZone: "Asia/Tehrann", week: { "1": [["16:00", "08:00"]], "2": [["08:00", "16:00"]] } },
      ["timeZone", "week.1.0"],
    ],
  ])("names the field the server would for %s, with its code", (_what, change, paths) => {
    const value = { ...calendar, ...change };
    const ours = clientIssues(calendarForm, value);
    expect(Object.keys(ours).sort()).toEqual([...paths].sort());
    expect(ours).toEqual(serverIssues(createCalendarSchema, value));
    // An edit is checked with the same rules (the update schema has the same fields).
    expect(ours).toEqual(serverIssues(updateCalendarSchema, { ...value, id: crypto.randomUUID() }));
  });

  it("keeps hours typed in Persian digits as the times they are", () => {
    const value = { ...calendar, week: { "6": [["۰۸:۰۰", "۱۶:۳۰"]] } };
    const ours = calendarForm.parse(value) as { week: Record<string, [string, string][]> };
    const theirs = createCalendarSchema.parse(value) as { week: Record<string, [string, string][]> };
    expect(ours.week["6"]).toEqual([["08:00", "16:30"]]);
    expect(theirs.week["6"]).toEqual([["08:00", "16:30"]]);
    // Backwards in Persian digits is still backwards.
    const backwards = { ...calendar, week: { "6": [["۱۶:۰۰", "۰۸:۰۰"]] } };
    expect(Object.keys(clientIssues(calendarForm, backwards))).toEqual(["week.6.0"]);
    expect(serverIssues(createCalendarSchema, backwards)).toEqual(clientIssues(calendarForm, backwards));
  });

  it("asks for a zone and a week when no preset fills them, as the server does on create", () => {
    const value = { name: "Bare", holidays: [], branchId: null };
    const ours = clientIssues(calendarForm, value);
    expect(Object.keys(ours).sort()).toEqual(["timeZone", "week"]);
    expect(ours.timeZone.code).toBe("required");
    expect(ours).toEqual(serverIssues(createCalendarSchema, value));
  });
});
