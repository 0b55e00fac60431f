export { addCountedTime, type CalendarHours, countedBetween } from "./business-time.js";
export {
  CALENDAR_PRESETS,
  type CalendarPreset,
  calendarPreset,
  holidayToGregorian,
} from "./calendar-input.js";
export {
  createBusinessCalendar,
  deleteBusinessCalendar,
  listBusinessCalendars,
  updateBusinessCalendar,
} from "./calendars.js";
export { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from "./policies.js";
export { checkTicketSla } from "./raise.js";
export { needsSlaBackfill, recalcSlaClocks } from "./recalc.js";
export { scheduleSlaRecalc } from "./recalc-request.js";
export * from "./schemas.js";
export { nextSlaDue, type SlaView, slaViewOf } from "./view.js";
