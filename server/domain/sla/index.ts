export { addCountedTime, type CalendarHours, countedBetween } from "./business-time.js";
export { checkTicketSla } from "./raise.js";
export { needsSlaBackfill, recalcSlaClocks } from "./recalc.js";
export { scheduleSlaRecalc } from "./recalc-request.js";
export { nextSlaDue, type SlaView, slaViewOf } from "./view.js";
