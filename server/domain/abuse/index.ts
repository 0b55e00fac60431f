export { claimFloodWarning, FLOOD_WARNING_EVERY_MINUTES, takeFloodToken } from "./flood.js";
export { claimBanNotice, moderateTicketRequester, moderateUser } from "./moderate.js";
export * from "./schemas.js";
