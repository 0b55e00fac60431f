/** The domain layer's public surface: doors import from here only. */

// The stored shapes doors name, so the bot reaches nothing below the domain.
export type { Db } from "../../drizzle/client.js";
export type {
  Attachment,
  Language,
  Notification,
  Ticket,
  TicketStatus,
  User,
} from "../../drizzle/schema/index.js";
export * from "./audit-log/index.js";
export * from "./build-context.js";
export * from "./catalog/index.js";
export * from "./context.js";
export * from "./delivery/index.js";
export * from "./errors.js";
export * from "./idempotency/index.js";
export * from "./lifecycle.js";
export * from "./notifications/index.js";
export * from "./permissions.js";
export { getQueueSummary, type QueueSummary } from "./reports/summary.js";
export * from "./schedule/index.js";
export * from "./settings/index.js";
export * from "./tickets/index.js";
export * from "./users/index.js";
