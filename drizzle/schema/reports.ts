import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { languageEnum } from "./enums.js";
import { users } from "./users.js";

export const SCHEDULE_FREQUENCIES = ["daily", "weekly", "monthly"] as const;
export const SCHEDULED_REPORT_FORMATS = ["pdf", "xlsx"] as const;
export type ScheduleFrequency = (typeof SCHEDULE_FREQUENCIES)[number];
export type ScheduledReportFormat = (typeof SCHEDULED_REPORT_FORMATS)[number];

/** Filters a scheduled report is read with (the reports' own parameters; docs/REPORTS.md). */
export interface ScheduledReportFilters {
  branchId?: string;
  categoryId?: string;
  priority?: string;
  labelId?: string;
  by?: string;
}

/**
 * A report an admin wants posted to a chat on a schedule (docs/REPORTS.md "Scheduled
 * reports"): which report, as which file, how often and when in which time zone.
 * The scheduler's job `scheduled_report:<id>` runs it at `next_run_at`; `last_sent_for`
 * is the run it last sent, so a run repeated after a crash sends nothing twice.
 */
export const scheduledReports = pgTable(
  "scheduled_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The chat to post to; null: the main staff chat at the time of sending. */
    chatId: bigint("chat_id", { mode: "number" }),
    report: text("report").notNull(),
    format: text("format").$type<ScheduledReportFormat>().notNull(),
    frequency: text("frequency").$type<ScheduleFrequency>().notNull(),
    /** 0 = Sunday … 6 = Saturday (weekly only). */
    weekday: integer("weekday"),
    /** 1–31 (monthly only; a shorter month runs on its last day). */
    monthDay: integer("month_day"),
    /** Local wall time "HH:MM" in time_zone. */
    time: text("time").notNull(),
    timeZone: text("time_zone").notNull(),
    language: languageEnum("language").notNull(),
    filters: jsonb("filters").$type<ScheduledReportFilters>().notNull().default({}),
    enabled: boolean("enabled").notNull().default(true),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }),
    /** The run (its due time) last sent. */
    lastSentFor: timestamp("last_sent_for", { withTimezone: true }),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("scheduled_reports_next_idx").on(t.enabled, t.nextRunAt)],
);

export type ScheduledReport = typeof scheduledReports.$inferSelect;
