import { eq, isNull, or } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { businessCalendars } from "../../../drizzle/schema/index.js";
import { workingIntervals } from "../sla/business-time.js";

/**
 * Whether live chat is staffed now: inside the working hours of the branch's
 * business calendar (else the default one) that SLA counts in. No calendar
 * defined: always open.
 */
export async function liveOpenNow(tx: DbOrTx, branchId: string | null, now: Date): Promise<boolean> {
  const rows = await tx
    .select({
      branchId: businessCalendars.branchId,
      timeZone: businessCalendars.timeZone,
      week: businessCalendars.week,
      holidays: businessCalendars.holidays,
    })
    .from(businessCalendars)
    .where(
      branchId
        ? or(eq(businessCalendars.branchId, branchId), isNull(businessCalendars.branchId))
        : isNull(businessCalendars.branchId),
    );
  const cal =
    rows.find((c) => branchId !== null && c.branchId === branchId) ?? rows.find((c) => c.branchId === null);
  if (!cal) return true;
  const first = workingIntervals(now.getTime(), cal).next();
  return !first.done && first.value[0] <= now.getTime();
}
