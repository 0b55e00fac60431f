import { pgEnum } from "drizzle-orm/pg-core";

/** Closed value sets shared by the database, the domain schemas and the UI. */
export const ROLES = ["requester", "agent", "moderator", "auditor", "admin", "owner"] as const;
export const TICKET_STATUSES = ["open", "in_progress", "waiting_customer", "resolved", "closed"] as const;
export const PRIORITIES = ["low", "normal", "high", "critical"] as const;
export const LANGUAGES = ["fa", "en", "ru"] as const;
export const PRESENCES = ["online", "busy", "offline"] as const;
export const EVENT_KINDS = [
  "created",
  "status",
  "assign",
  "priority",
  "category",
  "title",
  "label",
  "message",
  "note",
  "reopen",
  "sla_breach",
  /** An SLA target came within its warning threshold (to_value: the target). */
  "sla_warning",
  "merge",
  "rating",
  /** A message's text changed (from → to); a note's edit is note_edit, for staff only like the note. */
  "message_edit",
  "note_edit",
  /** An automation rule ran on the ticket (to_value: the rule's name; its changes follow as their own rows). */
  "automation",
] as const;
export const NOTIFICATION_TYPES = [
  "new_ticket",
  "assigned",
  "status_changed",
  "new_message",
  "closed",
  "sla_breach",
  "sla_warning",
  "system",
  /** "Your message was added": the bot's answer to a requester, queued so a burst is answered by one post. */
  "received",
] as const;
/**
 * What moderators did about an abusive user (docs/OPERATIONS.md "Bot abuse"): none;
 * banned (one notice, then every update ignored); shadow (answered as usual, nothing
 * they write is stored or reaches staff).
 */
export const MODERATION_STATES = ["none", "banned", "shadow"] as const;
export const DELIVERY_STATES = ["pending", "sending", "sent", "failed", "skipped"] as const;

export type Role = (typeof ROLES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Language = (typeof LANGUAGES)[number];
export type EventKind = (typeof EVENT_KINDS)[number];
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export type ModerationState = (typeof MODERATION_STATES)[number];

export const roleEnum = pgEnum("role", ROLES);
export const ticketStatusEnum = pgEnum("ticket_status", TICKET_STATUSES);
export const priorityEnum = pgEnum("priority", PRIORITIES);
export const languageEnum = pgEnum("language", LANGUAGES);
export const presenceEnum = pgEnum("presence", PRESENCES);
export const eventKindEnum = pgEnum("event_kind", EVENT_KINDS);
export const notificationTypeEnum = pgEnum("notification_type", NOTIFICATION_TYPES);
export const deliveryStateEnum = pgEnum("delivery_state", DELIVERY_STATES);
export const moderationStateEnum = pgEnum("moderation_state", MODERATION_STATES);
