/** The domain layer's public surface: doors import from here only. */

export type { Db } from "../../drizzle/client.js";
export {
  type Category,
  LANGUAGES,
  type Language,
  type Message,
  NOTIFICATION_TYPES,
  PRIORITIES,
  type Priority,
  TICKET_STATUSES,
  type Ticket,
  type TicketStatus,
  type User,
} from "../../drizzle/schema/index.js";
// --- For the bot door (bot/ reaches the server through this file only) ---
// Its own state (update claims, session), lookups by Telegram ids, and the schema's
// types and term lists it shows or parses. Types flow from drizzle's schema; the bot
// never imports drizzle/ itself.
export * from "./bot-state/index.js";
export * from "./build-context.js";
export * from "./catalog/index.js";
export * from "./context.js";
export * from "./errors.js";
export * from "./lifecycle.js";
export * from "./notifications/index.js";
export { PERSONAL_NOTIFICATION_TYPES } from "./notifications/rules.js";
export * from "./permissions.js";
export { getQueueSummary, type QueueSummary } from "./reports/summary.js";
export * from "./settings/index.js";
export * from "./telegram-refs/index.js";
export * from "./tickets/index.js";
export { maxFileBytes } from "./tickets/shared.js";
export * from "./users/index.js";
