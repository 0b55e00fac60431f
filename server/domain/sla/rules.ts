import { eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  type BusinessCalendar,
  businessCalendars,
  type SlaPolicy,
  slaPolicies,
  type Ticket,
} from "../../../drizzle/schema/index.js";
import type { CalendarHours } from "./business-time.js";
import type { PolicyTargets } from "./clock.js";

/** Every active policy and every calendar: a handful of rows, read once per change or per batch. */
export interface SlaRules {
  policies: SlaPolicy[];
  calendars: BusinessCalendar[];
}

export async function loadSlaRules(tx: DbOrTx): Promise<SlaRules> {
  const [policies, calendars] = [
    await tx.select().from(slaPolicies).where(eq(slaPolicies.active, true)),
    await tx.select().from(businessCalendars),
  ];
  return { policies, calendars };
}

const NO_TARGETS: PolicyTargets = {
  firstResponseMinutes: null,
  nextResponseMinutes: null,
  resolutionMinutes: null,
  warnPercent: 20,
  warnMinutes: null,
};

/**
 * What a ticket's clock is read with: the most specific active policy for its
 * priority (category and branch > category > branch > priority only) and the
 * calendar that policy counts in (the branch's own, else the default; none: wall
 * time, also for a business-hours policy while no calendar is defined).
 */
export function clockRulesFor(rules: SlaRules, t: Pick<Ticket, "priority" | "categoryId" | "branchId">) {
  const score = (p: SlaPolicy) => (p.categoryId ? 2 : 0) + (p.branchId ? 1 : 0);
  const policy =
    rules.policies
      .filter(
        (p) =>
          p.priority === t.priority &&
          (p.categoryId === null || p.categoryId === t.categoryId) &&
          (p.branchId === null || p.branchId === t.branchId),
      )
      .sort((a, b) => score(b) - score(a))[0] ?? null;
  let cal: CalendarHours | null = null;
  if (policy?.businessHours)
    cal =
      rules.calendars.find((c) => t.branchId !== null && c.branchId === t.branchId) ??
      rules.calendars.find((c) => c.branchId === null) ??
      null;
  return { policy, cal, targets: policy ?? NO_TARGETS };
}

/** The default business calendar (the one without a branch), or null when none is defined. */
export async function defaultCalendar(tx: DbOrTx): Promise<CalendarHours | null> {
  const [cal] = await tx
    .select({
      timeZone: businessCalendars.timeZone,
      week: businessCalendars.week,
      holidays: businessCalendars.holidays,
    })
    .from(businessCalendars)
    .where(isNull(businessCalendars.branchId));
  return cal ?? null;
}
