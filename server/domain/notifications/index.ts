export { listFailedNotifications, retryNotification } from "./admin.js";
export { recordTicketNotifications, staffChatFor } from "./record.js";
export { wantsNotification } from "./rules.js";
