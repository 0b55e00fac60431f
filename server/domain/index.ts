/** The domain layer's public surface: doors import from here only. */

// --- The stored shapes doors name (bot/ reaches the server through this file only) ---
// Types flow from drizzle's schema; the bot never imports drizzle/ itself.
export type { Db } from "../../drizzle/client.js";
export {
  ASSIGNMENT_STRATEGIES,
  type AssignmentPolicy,
  type AssignmentStrategy,
  type Attachment,
  type AutomationRule,
  type BusinessCalendar,
  CANNED_SCOPES,
  type CannedFile,
  type CannedReply,
  type CannedScope,
  type Category,
  LANGUAGES,
  type Language,
  type Message,
  MODERATION_STATES,
  type ModerationState,
  NOTIFICATION_TYPES,
  type Notification,
  PRIORITIES,
  type Priority,
  RULE_EVENTS,
  type RuleAction,
  type RuleCondition,
  type RuleEvent,
  SCHEDULE_FREQUENCIES,
  SCHEDULED_REPORT_FORMATS,
  type ScheduledReport,
  type ScheduledReportFilters,
  SLA_STATES,
  SLA_TARGETS,
  type SlaEscalation,
  type SlaPolicy,
  type SlaState,
  type SlaTarget,
  TICKET_STATUSES,
  type Ticket,
  type TicketRating,
  type TicketStatus,
  type User,
  type WeekHours,
} from "../../drizzle/schema/index.js";

export * from "./abuse/index.js";
export * from "./assignment/index.js";
export * from "./audit-log/index.js";
// The bot door's own state (update claims, session) and lookups by Telegram ids.
export * from "./automation/index.js";
export * from "./bot-state/index.js";
export * from "./build-context.js";
export * from "./canned/index.js";
export * from "./catalog/index.js";
export * from "./context.js";
export { isDatabaseUnavailable } from "./db-errors.js";
export * from "./delivery/index.js";
export * from "./errors.js";
export * from "./idempotency/index.js";
export * from "./lifecycle.js";
export * from "./live/index.js";
export * from "./metrics-port.js";
export * from "./notifications/index.js";
export * from "./permissions.js";
export * from "./rate-limits/index.js";
export * from "./report-delivery/index.js";
export * from "./reports/index.js";
export * from "./schedule/index.js";
export * from "./settings/index.js";
export * from "./sla/index.js";
export * from "./telegram-refs/index.js";
export * from "./tickets/index.js";
export * from "./users/index.js";
export { wallAsUtc, wallFormat } from "./zone-time.js";
