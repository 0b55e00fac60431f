import { z } from "zod";
import { PRIORITIES } from "../../../drizzle/schema/index.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
/** Longest range a report covers, so one request cannot ask for decades of days. */
export const REPORT_MAX_DAYS = 366;
export const REPORT_INTERVALS = ["day", "week", "month"] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/**
 * What every report takes. Days are local days in the deployment's TIME_ZONE, both
 * ends included; without them, the last 30 days up to today. The filters narrow the
 * tickets counted, always inside the actor's scope.
 */
const reportFields = z.object({
  from: day.optional(),
  to: day.optional(),
  interval: z.enum(REPORT_INTERVALS).default("day"),
  branchId: z.uuid().optional(),
  categoryId: z.uuid().optional(),
  priority: z.enum(PRIORITIES).optional(),
  labelId: z.uuid().optional(),
});

const rangeInOrder = (v: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.from > v.to)
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: "to before from",
      params: { code: "range_order" },
    });
};

export const reportQuerySchema = reportFields.superRefine(rangeInOrder);
export type ReportQuery = z.input<typeof reportQuerySchema>;

export const BREAKDOWN_DIMENSIONS = ["branch", "category", "priority", "label", "channel"] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export const breakdownQuerySchema = reportFields
  .extend({ by: z.enum(BREAKDOWN_DIMENSIONS).default("category") })
  .superRefine(rangeInOrder);
export type BreakdownQuery = z.input<typeof breakdownQuerySchema>;
