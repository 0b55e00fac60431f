import { and, eq, type SQL, sql } from "drizzle-orm";
import { tickets } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isStaffReader, ticketScopeFilter } from "../permissions.js";
import { localDayStart, localDayString, shiftDay } from "./days.js";
import { validatedInput } from "./parse.js";
import { REPORT_MAX_DAYS, type ReportInterval, type ReportQuery, reportQuerySchema } from "./schemas.js";

/** A report's resolved question: which instants, which buckets, which tickets. */
export interface ReportRange {
  /** Local days asked for, both ends included (YYYY-MM-DD). */
  fromDay: string;
  toDay: string;
  /** The instants they span: [from, to). */
  from: Date;
  to: Date;
  interval: ReportInterval;
  timeZone: string;
  /** The tickets counted (scope and filters) as SQL over `tickets`; always a condition. */
  tickets: SQL;
  /** False when `tickets` is `true` (an admin without filters): every ticket counts. */
  narrowed: boolean;
  /**
   * Who the rollups must be read for (rollups.ts): a staff member with a branch sees
   * that branch and their own tickets.
   */
  rollupScope: { scopeBranch: string | null; me: string | null };
  /** What the caller asked to filter by (echoed in answers and exports). */
  filters: Omit<ReportQuery, "from" | "to" | "interval">;
}

/** Staff only (requesters are refused); then the range and the ticket filter of the input. */
export function reportRange(ctx: ServiceContext, raw: unknown, action: string): ReportRange {
  if (!isStaffReader(ctx.actor)) throw new DomainError("FORBIDDEN", { action });
  const input = validatedInput(reportQuerySchema, raw);
  const timeZone = ctx.settings.timeZone;
  const today = localDayString(ctx.clock.now(), timeZone);
  const toDay = input.to ?? (input.from && input.from > today ? input.from : today);
  const fromDay = input.from ?? shiftDay(toDay, -29);
  const from = localDayStart(fromDay, timeZone);
  const to = localDayStart(shiftDay(toDay, 1), timeZone);
  if (to.getTime() - from.getTime() > REPORT_MAX_DAYS * 86_400_000)
    throw new DomainError("VALIDATION", {}, [
      { path: "from", code: "range_too_long", message: "range too long", limit: REPORT_MAX_DAYS },
    ]);
  const { branchId, categoryId, priority, labelId } = input;
  const where = and(
    ticketScopeFilter(ctx.actor),
    branchId ? eq(tickets.branchId, branchId) : undefined,
    categoryId ? eq(tickets.categoryId, categoryId) : undefined,
    priority ? eq(tickets.priority, priority) : undefined,
    labelId
      ? sql`exists (select 1 from ticket_labels tl where tl.ticket_id = ${tickets.id} and tl.label_id = ${labelId})`
      : undefined,
  );
  const branchScoped = ticketScopeFilter(ctx.actor) !== undefined;
  return {
    fromDay,
    toDay,
    from,
    to,
    interval: input.interval,
    timeZone,
    tickets: where ?? sql`true`,
    narrowed: where !== undefined,
    rollupScope: {
      scopeBranch: branchScoped ? ctx.actor.branchId : null,
      me: branchScoped ? ctx.actor.id : null,
    },
    filters: { branchId, categoryId, priority, labelId },
  };
}

/** SQL for "this instant falls in the range". */
export const inRange = (column: SQL | unknown, r: ReportRange): SQL =>
  sql`${column} >= ${r.from.toISOString()}::timestamptz and ${column} < ${r.to.toISOString()}::timestamptz`;

/** The local bucket (day, week from Monday, month) of an instant, as its first day YYYY-MM-DD. */
export const bucketOf = (column: SQL | unknown, r: ReportRange): SQL =>
  sql`to_char(date_trunc(${r.interval}, ${column} at time zone ${r.timeZone}), 'YYYY-MM-DD')`;

/** The range and filters a report answered for, echoed in its answer and exports. */
export const rangeEcho = (r: ReportRange) => ({
  from: r.fromDay,
  to: r.toDay,
  interval: r.interval,
  ...r.filters,
});
