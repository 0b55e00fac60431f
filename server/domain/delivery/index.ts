export {
  type ChatBacklog,
  DELIVERY_LAG_WARN_SECONDS,
  type DeliveryBacklogInput,
  deliveryBacklog,
  deliveryBacklogSchema,
} from "./backlog.js";
export {
  type CallBudget,
  createCallBudget,
  isGroupChat,
  type RateLimits,
  TELEGRAM_LIMITS,
} from "./budget.js";
export { filesOf, loadNotificationFacts, type NotificationFacts } from "./facts.js";
export { groupForTelegram, MEDIA_GROUP_MAX } from "./media-groups.js";
export * from "./port.js";
export {
  inOutboxDelivery,
  settlePrepaidBeforeExtraCall,
  spendPrepaidCall,
  untilPrepaidPlace,
} from "./prepaid.js";
export * from "./send-scope.js";
export { createDeliveryStore, type DeliveryStore } from "./store.js";
