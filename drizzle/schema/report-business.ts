import { bigint, boolean, integer, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The working time of each business calendar as the database sees it (docs/REPORTS.md
 * "Business hours"): its working intervals over a bounded span, in epoch milliseconds,
 * with the working time before each (`before_ms`, from the span's start). A duration's
 * business time is then C(end) − C(start), C(t) = before + min(t, end) − start of the
 * last interval starting at or before t, which the facts' SQL computes when they are
 * written. Written by the `report_business_hours` job from the SLA clocks' own
 * `workingIntervals` (the zone's wall clock, holidays, daylight saving), so the stored
 * seconds equal the server's count; emptied by the calendars' trigger on any change.
 */
export const reportBusinessIntervals = pgTable(
  "report_business_intervals",
  {
    calendarId: uuid("calendar_id").notNull(),
    startsMs: bigint("starts_ms", { mode: "number" }).notNull(),
    endsMs: bigint("ends_ms", { mode: "number" }).notNull(),
    beforeMs: bigint("before_ms", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.startsMs] })],
);

/**
 * The span [from_ms, to_ms] a calendar's intervals cover. A duration outside it (or of
 * a calendar without a row: not materialized yet, or hours out of order) stores null
 * business seconds, and the report counts those figures in the server.
 */
export const reportBusinessSpans = pgTable("report_business_spans", {
  calendarId: uuid("calendar_id").primaryKey(),
  fromMs: bigint("from_ms", { mode: "number" }).notNull(),
  toMs: bigint("to_ms", { mode: "number" }).notNull(),
});

/**
 * One row: whether the stored business seconds follow the calendars as they are now.
 * The calendars' trigger clears `ready` and bumps `generation` on any change; the job
 * sets `ready` again when it has recomputed every row for that generation. Until then
 * the report counts business hours in the server.
 */
export const reportBusinessState = pgTable("report_business_state", {
  id: integer("id").primaryKey().default(1),
  ready: boolean("ready").notNull().default(false),
  generation: integer("generation").notNull().default(0),
  builtAt: timestamp("built_at", { withTimezone: true }),
});
