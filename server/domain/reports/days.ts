import { dayKey } from "../tickets/numbering.js";

/** The local day (YYYY-MM-DD) of an instant in a time zone. */
export function localDayString(at: Date, timeZone: string): string {
  const k = dayKey(at, timeZone);
  return `${k.slice(0, 4)}-${k.slice(4, 6)}-${k.slice(6, 8)}`;
}

/** The day `n` days after (or before) a YYYY-MM-DD day. */
export function shiftDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The instant a local day begins in the time zone: the first minute whose local day
 * is `day`, found by bisection (zones are not whole hours, and some shift for DST).
 */
export function localDayStart(day: string, timeZone: string): Date {
  const noon = new Date(`${day}T12:00:00Z`);
  let lo = new Date(noon.getTime() - 28 * 3600_000);
  let hi = new Date(noon.getTime() + 16 * 3600_000);
  while (hi.getTime() - lo.getTime() > 60_000) {
    const mid = new Date(Math.floor((lo.getTime() + hi.getTime()) / 2));
    if (localDayString(mid, timeZone) >= day) hi = mid;
    else lo = mid;
  }
  return new Date(Math.floor(hi.getTime() / 60_000) * 60_000);
}
