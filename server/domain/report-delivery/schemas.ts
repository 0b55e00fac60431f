import { z } from "zod";
import {
  LANGUAGES,
  PRIORITIES,
  SCHEDULE_FREQUENCIES,
  SCHEDULED_REPORT_FORMATS,
} from "../../../drizzle/schema/index.js";
import { REPORT_NAMES } from "../reports/tables.js";
import { timeZoneSchema } from "../sla/schemas.js";

/** A Telegram chat id: a private chat (positive) or a group (negative). */
const chatId = z.coerce
  .number()
  .int()
  .refine((n) => n !== 0, "chat_id");

/** Where a report file goes: the chat, or the main staff chat when none is named. */
export const sendReportSchema = z.object({ chatId: chatId.nullish() });
export type SendReportInput = z.infer<typeof sendReportSchema>;

/** "08:00": a wall time of day. */
const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time");

export const scheduledReportFiltersSchema = z
  .object({
    branchId: z.uuid().optional(),
    categoryId: z.uuid().optional(),
    priority: z.enum(PRIORITIES).optional(),
    labelId: z.uuid().optional(),
    by: z.enum(["branch", "category", "priority", "label", "channel"]).optional(),
  })
  .strict();

const scheduleFields = {
  chatId: chatId.nullish(),
  report: z.enum(REPORT_NAMES),
  format: z.enum(SCHEDULED_REPORT_FORMATS),
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  weekday: z.number().int().min(0).max(6).nullish(),
  monthDay: z.number().int().min(1).max(31).nullish(),
  time: wallTime,
  timeZone: timeZoneSchema,
  language: z.enum(LANGUAGES),
  filters: scheduledReportFiltersSchema,
  enabled: z.boolean(),
};

/** A weekly schedule names its weekday, a monthly one its day of the month. */
export const scheduleDayIssue = (s: {
  frequency?: string;
  weekday?: number | null;
  monthDay?: number | null;
}) =>
  (s.frequency === "weekly" && (s.weekday ?? null) === null) ||
  (s.frequency === "monthly" && (s.monthDay ?? null) === null);

export const createScheduledReportSchema = z
  .object({
    ...scheduleFields,
    format: scheduleFields.format.default("pdf"),
    filters: scheduledReportFiltersSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .refine((s) => !scheduleDayIssue(s), { message: "schedule_day", path: ["weekday"] });
export type CreateScheduledReportInput = z.infer<typeof createScheduledReportSchema>;

/** A change: any of the fields (the merged schedule is checked again for its day). */
export const updateScheduledReportSchema = z
  .object({ id: z.uuid() })
  .extend(z.object(scheduleFields).partial().shape);
export type UpdateScheduledReportInput = z.infer<typeof updateScheduledReportSchema>;

export const scheduledReportIdSchema = z.object({ id: z.uuid() });
