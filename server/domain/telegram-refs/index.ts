/** Reads by Telegram ids: which ticket a chat message or topic belongs to, whom a chat reaches. */
export { isWorkingStaff, listReachableWorkingStaff } from "./staff.js";
export { findThreadMessage, findTicketOfTopic } from "./thread-messages.js";
