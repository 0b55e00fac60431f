export { listFailedNotifications, retryNotification } from "./admin.js";
export { allStaffChats, recordTicketNotifications, staffChatFor } from "./record.js";
export { PERSONAL_NOTIFICATION_TYPES, type TicketChange, wantsNotification } from "./rules.js";
