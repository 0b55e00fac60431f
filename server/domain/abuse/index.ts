export { takeFloodToken } from "./flood.js";
export { claimBanNotice, moderateTicketRequester, moderateUser } from "./moderate.js";
export * from "./schemas.js";
