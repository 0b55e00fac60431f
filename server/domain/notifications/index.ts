export { listFailedNotifications, retryNotification } from "./admin.js";
export { allStaffChats, recordTicketNotifications, staffChatFor } from "./record.js";
export { wantsNotification } from "./rules.js";
