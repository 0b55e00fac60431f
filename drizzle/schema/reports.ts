import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
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

/**
 * Rollups for the reports (docs/REPORTS.md "Rollups"). Every ticket's contribution to
 * the figures, one row per (local day, metric): created, open (not finished now, on
 * its opening day), resolved, closed, reopened,
 * finish, rated (total = score), score:N, raised:<kind>:<target>, sla:<target>:<state>,
 * and one row per measured duration (dur:first_response, dur:resolution; total =
 * seconds, kept exact). Written with the ticket's dimensions at the time, so a changed
 * ticket's old rows can be taken back out of `report_rollup` exactly. A missing branch
 * or SLA policy is the nil uuid, so the rollup's key has no nulls.
 */
export const reportTicketFacts = pgTable(
  "report_ticket_facts",
  {
    ticketId: uuid("ticket_id").notNull(),
    day: date("day").notNull(),
    metric: text("metric").notNull(),
    n: integer("n").notNull(),
    total: doublePrecision("total"),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
    slaPolicyId: uuid("sla_policy_id").notNull(),
    /**
     * A duration's seconds in business hours (docs/REPORTS.md "Business hours"): of the
     * branch's calendar, else the default one, else wall time; null when unknown (no
     * working intervals materialized over it yet). Last column: the refresh inserts
     * `select *` of `report_facts_of`, positionally.
     */
    business: doublePrecision("business"),
  },
  (t) => [
    index("report_ticket_facts_ticket_idx").on(t.ticketId),
    index("report_ticket_facts_metric_day_idx").on(
      t.metric,
      t.day,
      t.branchId,
      t.categoryId,
      t.priority,
      t.total,
    ),
    // The business seconds of the duration rows, read by index-only scans as `total` is;
    // the ticket for a label filter (its tickets joined: the label copies keep no seconds).
    index("report_ticket_facts_business_idx")
      .on(t.metric, t.day, t.branchId, t.categoryId, t.priority, t.business, t.ticketId)
      .where(sql`${t.metric} in ('dur:first_response', 'dur:resolution')`),
  ],
);

/**
 * The facts summed per local day, metric and dimensions (branch, category, priority,
 * SLA policy): what the reports read instead of scanning a month of raw rows. Kept
 * equal to the sum of `report_ticket_facts` by the triggers of migration
 * `report_rollups_triggers`, at the commit of every change to a ticket, its history or
 * its ratings. Duration rows are not summed here (medians do not add up).
 */
export const reportRollup = pgTable(
  "report_rollup",
  {
    metric: text("metric").notNull(),
    day: date("day").notNull(),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
    slaPolicyId: uuid("sla_policy_id").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    total: doublePrecision("total").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.metric, t.day, t.branchId, t.categoryId, t.priority, t.slaPolicyId] })],
);

/**
 * The time zone the rollups' days are local days of (one row). Reports read the
 * rollups only when it is the deployment's TIME_ZONE; `npm run reports:rollups`
 * rebuilds them for it.
 */
export const reportRollupState = pgTable("report_rollup_state", {
  id: integer("id").primaryKey().default(1),
  timeZone: text("time_zone").notNull(),
  builtAt: timestamp("built_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every next response (docs/REPORTS.md "Staff facts"): a public staff answer after the
 * requester's waiting message, one row per answered turn of a ticket's thread, with
 * the ticket's branch, category and priority at the time (no branch: the nil uuid).
 * `day` is the answer's local day; `secs` its wall-clock duration. Rewritten per
 * ticket by the triggers of migration `report_staff_facts_triggers` at the commit of
 * any change to its messages or the ticket, so the timings report reads a range of
 * these rows instead of a window over every message of a month's tickets.
 */
export const reportResponses = pgTable(
  "report_responses",
  {
    ticketId: uuid("ticket_id").notNull(),
    responderId: uuid("responder_id").notNull(),
    /** The requester's first message that waited; the staff answer that followed. */
    started: timestamp("started", { withTimezone: true }).notNull(),
    answered: timestamp("answered", { withTimezone: true }).notNull(),
    day: date("day").notNull(),
    secs: doublePrecision("secs").notNull(),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
    /** Business seconds, as `report_ticket_facts.business` (last column: inserted by `select *`). */
    business: doublePrecision("business"),
  },
  (t) => [
    index("report_responses_ticket_idx").on(t.ticketId),
    index("report_responses_day_idx").on(
      t.day,
      t.branchId,
      t.categoryId,
      t.priority,
      t.secs,
      t.business,
      t.ticketId,
    ),
  ],
);

/**
 * Per staff member, ticket and local day, what the agents report counts: `replies`
 * (public answers), `finishes` (finishes they made), `firstSecs` (they gave the
 * ticket's first response that day; its seconds), `ratings` and `scoreSum` (ratings
 * given that day while they are the ticket's assignee). "Handled" — the distinct
 * tickets a member answered or finished in a range — is counted without a distinct:
 * `touchedBefore` is the previous day they answered or finished the same ticket, so a
 * ticket counts once, on its first such day in the range (touchedBefore before the
 * range's start, or none). Kept by the same triggers as `report_responses`.
 */
export const reportAgentFacts = pgTable(
  "report_agent_facts",
  {
    ticketId: uuid("ticket_id").notNull(),
    userId: uuid("user_id").notNull(),
    day: date("day").notNull(),
    replies: integer("replies").notNull(),
    finishes: integer("finishes").notNull(),
    touchedBefore: date("touched_before"),
    firstSecs: doublePrecision("first_secs"),
    ratings: integer("ratings").notNull(),
    scoreSum: doublePrecision("score_sum").notNull(),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
  },
  (t) => [
    index("report_agent_facts_ticket_idx").on(t.ticketId),
    index("report_agent_facts_day_idx").on(
      t.day,
      t.branchId,
      t.categoryId,
      t.priority,
      t.userId,
      t.replies,
      t.finishes,
      t.touchedBefore,
      t.firstSecs,
      t.ratings,
      t.scoreSum,
    ),
  ],
);

/**
 * The breakdown by label and by channel (docs/REPORTS.md "Label and channel rollups"):
 * a ticket's `created`, `finish`, `open` and `dur:first_response` facts (copied from
 * `report_ticket_facts`) once per group it is in — `dim` = `label` with `key` the label
 * id (`''`: no label; a ticket with two labels counts under each), or `channel` with
 * `key` its requester channel. Rewritten with the ticket's facts by the same refresh.
 */
export const reportGroupFacts = pgTable(
  "report_group_facts",
  {
    ticketId: uuid("ticket_id").notNull(),
    dim: text("dim").notNull(),
    key: text("key").notNull(),
    day: date("day").notNull(),
    metric: text("metric").notNull(),
    n: integer("n").notNull(),
    total: doublePrecision("total"),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
  },
  (t) => [
    index("report_group_facts_ticket_idx").on(t.ticketId),
    index("report_group_facts_metric_day_idx").on(
      t.dim,
      t.metric,
      t.day,
      t.branchId,
      t.categoryId,
      t.priority,
      t.key,
      t.total,
    ),
  ],
);

/** `report_group_facts` other than durations summed per group, metric, local day, branch, category and priority. */
export const reportGroupRollup = pgTable(
  "report_group_rollup",
  {
    dim: text("dim").notNull(),
    metric: text("metric").notNull(),
    day: date("day").notNull(),
    key: text("key").notNull(),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.dim, t.metric, t.day, t.key, t.branchId, t.categoryId, t.priority] })],
);

/**
 * The label-keyed copies (docs/REPORTS.md "Label filter"): a labelled ticket's rows of
 * `report_ticket_facts` (with its channel and labels), `report_responses` and `report_agent_facts` once under each
 * of its labels, and `report_label_rollup` the facts other than durations summed per
 * label as `report_rollup` sums them. A report with a label filter reads these instead
 * of the raw rows. Rewritten with the ticket's own rows by the same refreshes
 * (migration `report_label_facts_triggers`); a label put on or taken off refreshes it.
 */
export const reportLabelFacts = pgTable(
  "report_label_facts",
  {
    labelId: uuid("label_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    day: date("day").notNull(),
    metric: text("metric").notNull(),
    n: integer("n").notNull(),
    total: doublePrecision("total"),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
    slaPolicyId: uuid("sla_policy_id").notNull(),
    /** The ticket's channel and all its labels, for the breakdowns by channel and by label. */
    channel: text("channel").notNull(),
    labels: uuid("labels").array().notNull(),
  },
  (t) => [
    index("report_label_facts_ticket_idx").on(t.ticketId),
    // Covering what the reports read, so a label's open tickets (spread over every
    // day) are an index-only scan instead of a heap page each.
    index("report_label_facts_metric_day_idx").on(
      t.labelId,
      t.metric,
      t.day,
      t.branchId,
      t.categoryId,
      t.priority,
      t.total,
      t.n,
      t.channel,
      t.labels,
      t.ticketId,
    ),
  ],
);

/** `report_label_facts` other than durations summed per label and `report_rollup`'s key. */
export const reportLabelRollup = pgTable(
  "report_label_rollup",
  {
    labelId: uuid("label_id").notNull(),
    metric: text("metric").notNull(),
    day: date("day").notNull(),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
    slaPolicyId: uuid("sla_policy_id").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    total: doublePrecision("total").notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "report_label_rollup_pk",
      columns: [t.labelId, t.metric, t.day, t.branchId, t.categoryId, t.priority, t.slaPolicyId],
    }),
  ],
);

/** `report_responses` of labelled tickets, once under each label. */
export const reportLabelResponses = pgTable(
  "report_label_responses",
  {
    labelId: uuid("label_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    responderId: uuid("responder_id").notNull(),
    started: timestamp("started", { withTimezone: true }).notNull(),
    answered: timestamp("answered", { withTimezone: true }).notNull(),
    day: date("day").notNull(),
    secs: doublePrecision("secs").notNull(),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
  },
  (t) => [
    index("report_label_responses_ticket_idx").on(t.ticketId),
    index("report_label_responses_day_idx").on(
      t.labelId,
      t.day,
      t.branchId,
      t.categoryId,
      t.priority,
      t.secs,
    ),
  ],
);

/** `report_agent_facts` of labelled tickets, once under each label. */
export const reportLabelAgentFacts = pgTable(
  "report_label_agent_facts",
  {
    labelId: uuid("label_id").notNull(),
    ticketId: uuid("ticket_id").notNull(),
    userId: uuid("user_id").notNull(),
    day: date("day").notNull(),
    replies: integer("replies").notNull(),
    finishes: integer("finishes").notNull(),
    touchedBefore: date("touched_before"),
    firstSecs: doublePrecision("first_secs"),
    ratings: integer("ratings").notNull(),
    scoreSum: doublePrecision("score_sum").notNull(),
    branchId: uuid("branch_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    priority: text("priority").notNull(),
  },
  (t) => [
    index("report_label_agent_facts_ticket_idx").on(t.ticketId),
    index("report_label_agent_facts_day_idx").on(
      t.labelId,
      t.day,
      t.branchId,
      t.categoryId,
      t.priority,
      t.userId,
      t.replies,
      t.finishes,
      t.touchedBefore,
      t.firstSecs,
      t.ratings,
      t.scoreSum,
    ),
  ],
);
