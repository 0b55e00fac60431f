export { scheduleSlaRecalc } from "./recalc-request.js";
export { nextSlaDue, type SlaView, slaViewOf } from "./view.js";
