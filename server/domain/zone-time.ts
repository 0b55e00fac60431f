/**
 * Wall clocks in time zones, shared by the SLA clocks (business hours), scheduled
 * reports (their next run) and exports (a cell's local time): Intl gives a zone's
 * wall time for an instant; building its formatter costs far more than using one,
 * so there is one per zone.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's formatter of numeric wall-clock fields (24-hour), made once. */
export function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone, as if they were UTC (ms). */
export function wallAsUtc(instant: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of wallFormat(timeZone).formatToParts(instant))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
}
