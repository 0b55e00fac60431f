import fc from "fast-check";

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** A day's hours: up to two stretches in order, on quarter hours. */
export const dayHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 4 })
  .map((qs) => [...qs].sort((a, b) => a - b))
  .map((qs) => {
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < qs.length; i += 2)
      out.push([hhmm(qs[i] * 15), hhmm(Math.min(qs[i + 1] * 15, 1439))]);
    return out.filter(([s, e]) => s < e);
  });

/**
 * A business calendar in one of four zones (two with daylight saving), a week of
 * `dayHours` and up to `maxHolidays` holidays among the first `holidayDays` days.
 */
export const calendarArbitrary = (holidayDays: number, maxHolidays: number) =>
  fc.record({
    timeZone: fc.constantFrom("Asia/Tehran", "Europe/Berlin", "America/New_York", "UTC"),
    week: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: holidayDays }), { maxLength: maxHolidays }),
  });
