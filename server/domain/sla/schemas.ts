import { z } from "zod";
import { PRIORITIES } from "../../../drizzle/schema/index.js";
import type { FieldIssue } from "../errors.js";
import {
  asciiDigits,
  CALENDAR_PRESETS,
  holidayToGregorian,
  isTimeZone,
  WEEKDAYS,
  weekIssues,
} from "./calendar-input.js";

/** A rule of ours broken: its code travels in params, so doors translate it (field_error.<code>). */
const ownIssue = (path: PropertyKey[], code: string, limit?: number) => ({
  code: "custom" as const,
  path,
  message: code,
  params: limit === undefined ? { code } : { code, limit },
});

/** A target in minutes: one minute to one year. */
const minutes = z.number().int().min(1).max(525_600);
const name = z.string().trim().min(1).max(100);

export const slaEscalationSchema = z
  .object({
    raisePriority: z.boolean().optional(),
    reassignToModerator: z.boolean().optional(),
    notifyChatId: z.number().int().optional(),
  })
  .strict();

export interface PolicyTargets {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnMinutes: number | null;
}

/**
 * Rules across a policy's fields (checked on create, and on the merged row on
 * update): at least one target, and a warning in minutes before the smallest.
 */
export function policyIssues(p: PolicyTargets): FieldIssue[] {
  const targets = [p.firstResponseMinutes, p.nextResponseMinutes, p.resolutionMinutes].filter(
    (n): n is number => n !== null,
  );
  if (targets.length === 0)
    return [{ path: "firstResponseMinutes", code: "no_sla_target", message: "set at least one target" }];
  const smallest = Math.min(...targets);
  if (p.warnMinutes !== null && p.warnMinutes >= smallest)
    return [
      {
        path: "warnMinutes",
        code: "warn_not_below_target",
        message: "below the smallest target",
        limit: smallest,
      },
    ];
  return [];
}

export const createSlaPolicySchema = z
  .object({
    name,
    priority: z.enum(PRIORITIES),
    categoryId: z.uuid().nullable().default(null),
    branchId: z.uuid().nullable().default(null),
    /** null: not tracked. */
    firstResponseMinutes: minutes.nullable().default(null),
    nextResponseMinutes: minutes.nullable().default(null),
    resolutionMinutes: minutes.nullable().default(null),
    warnPercent: z.number().int().min(1).max(90).default(20),
    /** Overrides warnPercent: warn this many minutes before the target. */
    warnMinutes: minutes.nullable().default(null),
    businessHours: z.boolean().default(false),
    escalation: slaEscalationSchema.default({}),
    active: z.boolean().default(true),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const i of policyIssues(p)) ctx.addIssue(ownIssue([i.path], i.code, i.limit));
  });
export type CreateSlaPolicyInput = z.input<typeof createSlaPolicySchema>;

// Spelled out: .partial() would keep create's defaults and reset fields on every edit.
export const updateSlaPolicySchema = z
  .object({
    id: z.uuid(),
    name: name.optional(),
    priority: z.enum(PRIORITIES).optional(),
    categoryId: z.uuid().nullable().optional(),
    branchId: z.uuid().nullable().optional(),
    firstResponseMinutes: minutes.nullable().optional(),
    nextResponseMinutes: minutes.nullable().optional(),
    resolutionMinutes: minutes.nullable().optional(),
    warnPercent: z.number().int().min(1).max(90).optional(),
    warnMinutes: minutes.nullable().optional(),
    businessHours: z.boolean().optional(),
    escalation: slaEscalationSchema.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateSlaPolicyInput = z.input<typeof updateSlaPolicySchema>;

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .superRefine((zone, ctx) => {
    if (!isTimeZone(zone)) ctx.addIssue(ownIssue([], "bad_time_zone"));
  });

/** A time of day as typed: Persian or Arabic-Indic digits are read too (۰۸:۰۰ is 08:00). */
const timeOfDay = z.string().max(5).transform(asciiDigits);

/** Working hours per JavaScript weekday ("0" Sunday … "6" Saturday): ["HH:MM", "HH:MM"] intervals. */
export const weekHoursSchema = z
  .partialRecord(z.enum(WEEKDAYS), z.array(z.tuple([timeOfDay, timeOfDay])).max(12))
  .superRefine((week, ctx) => {
    for (const issue of weekIssues(week)) ctx.addIssue(ownIssue(issue.path, issue.code));
  });

/**
 * Days off: Gregorian "2026-03-21", Jalali "1405/01/01" or { jalali: "1405-01-01" };
 * kept as Gregorian dates, each once, in order.
 */
export const holidaysSchema = z
  .array(z.union([z.string().max(20), z.object({ jalali: z.string().max(20) }).strict()]))
  .max(400)
  .transform((list, ctx) => {
    const days = new Set<string>();
    list.forEach((holiday, i) => {
      const day = holidayToGregorian(holiday);
      if (day) days.add(day);
      else ctx.addIssue(ownIssue([i], "bad_date"));
    });
    return [...days].sort();
  });

export const createCalendarSchema = z
  .object({
    name,
    /** Fills the week and zone (each still overridable). */
    preset: z.enum(CALENDAR_PRESETS).optional(),
    timeZone: timeZoneSchema.optional(),
    week: weekHoursSchema.optional(),
    holidays: holidaysSchema.default([]),
    /** null: the default calendar (only one). */
    branchId: z.uuid().nullable().default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.preset) return;
    if (!c.timeZone) ctx.addIssue(ownIssue(["timeZone"], "required"));
    if (!c.week) ctx.addIssue(ownIssue(["week"], "required"));
  });
export type CreateCalendarInput = z.input<typeof createCalendarSchema>;

export const updateCalendarSchema = z
  .object({
    id: z.uuid(),
    name: name.optional(),
    preset: z.enum(CALENDAR_PRESETS).optional(),
    timeZone: timeZoneSchema.optional(),
    week: weekHoursSchema.optional(),
    holidays: holidaysSchema.optional(),
    branchId: z.uuid().nullable().optional(),
  })
  .strict();
export type UpdateCalendarInput = z.input<typeof updateCalendarSchema>;

export const deleteSlaEntitySchema = z.object({ id: z.uuid() });
