import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { branches, categories } from "./catalog.js";
import { priorityEnum } from "./enums.js";

/**
 * Working hours of a calendar, by JavaScript weekday (0 = Sunday … 6 = Saturday):
 * each day a list of ["HH:MM", "HH:MM"] intervals in the calendar's time zone
 * ("24:00" ends a day). A day missing or empty is a day off.
 */
export type WeekHours = Partial<Record<"0" | "1" | "2" | "3" | "4" | "5" | "6", [string, string][]>>;

/** Business hours an SLA policy may count in: one default (branch null), a branch may have its own. */
export const businessCalendars = pgTable(
  "business_calendars",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** IANA zone the hours and holidays are in (e.g. Asia/Tehran). */
    timeZone: text("time_zone").notNull(),
    week: jsonb("week").$type<WeekHours>().notNull(),
    /** Days off as Gregorian dates "YYYY-MM-DD" (the API and Mini App also take Jalali dates). */
    holidays: jsonb("holidays").$type<string[]>().notNull().default([]),
    /** The branch this calendar is for; null: the default calendar (at most one). */
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("business_calendars_branch_key").on(t.branchId).nullsNotDistinct()],
);

/** What an SLA breach may do beyond telling people (each optional). */
export interface SlaEscalation {
  /** Raise the ticket's priority one step. */
  raisePriority?: boolean;
  /** Reassign the ticket to a moderator of its scope. */
  reassignToModerator?: boolean;
  /** Also post the breach to this Telegram chat. */
  notifyChatId?: number;
}

/**
 * SLA targets for tickets of a priority, optionally narrowed to a category and/or a
 * branch; the most specific active policy matching a ticket wins (category and
 * branch > category > branch > priority only). A null target is not tracked.
 */
export const slaPolicies = pgTable(
  "sla_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    priority: priorityEnum("priority").notNull(),
    categoryId: uuid("category_id").references(() => categories.id, { onDelete: "cascade" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    firstResponseMinutes: integer("first_response_minutes"),
    /** After each requester message that waits for staff. */
    nextResponseMinutes: integer("next_response_minutes"),
    resolutionMinutes: integer("resolution_minutes"),
    /** Warn this share of the target before it is due (default 20%)… */
    warnPercent: integer("warn_percent").notNull().default(20),
    /** …or, when set, this many minutes before. */
    warnMinutes: integer("warn_minutes"),
    /** Count business hours (the branch's calendar, else the default) or wall time. */
    businessHours: boolean("business_hours").notNull().default(false),
    escalation: jsonb("escalation").$type<SlaEscalation>().notNull().default({}),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("sla_policies_scope_key").on(t.priority, t.categoryId, t.branchId).nullsNotDistinct(),
    index("sla_policies_priority_idx").on(t.priority).where(sql`${t.active}`),
  ],
);

export type BusinessCalendar = typeof businessCalendars.$inferSelect;
export type SlaPolicy = typeof slaPolicies.$inferSelect;

/** The SLA targets a ticket may have running. */
export const SLA_TARGETS = ["first_response", "next_response", "resolution"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
/** A ticket's SLA state as lists, filters and badges show it ('none': no policy applies). */
export const SLA_STATES = ["none", "on_track", "at_risk", "breached", "met"] as const;
export type SlaState = (typeof SLA_STATES)[number];

/**
 * One target's clock: when it started, and how it ended ('met' in time, 'met_late'
 * after its due time, 'breached' when the ticket was finished without it being met
 * late). warnedAt/breachedAt record that the warning and breach were raised (each once).
 */
export interface SlaTargetClock {
  startedAt: string;
  state: "running" | "met" | "met_late" | "breached";
  endedAt?: string;
  warnedAt?: string;
  breachedAt?: string;
}

/**
 * What a ticket's SLA due times are computed from (server/domain/sla): the targets'
 * starts and ends, and the intervals its clocks stood still (waiting for the
 * requester; `to` null: still paused). Due times themselves are derived, so a
 * policy or calendar edit recomputes them from this.
 */
export interface SlaClock {
  pauses: { from: string; to: string | null }[];
  targets: Partial<Record<SlaTarget, SlaTargetClock>>;
}
