export { filesOf, loadNotificationFacts, type NotificationFacts } from "./facts.js";
export * from "./port.js";
export * from "./send-scope.js";
export { createDeliveryStore, type DeliveryStore } from "./store.js";
