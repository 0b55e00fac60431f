import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { branches, categories, labels } from "./catalog.js";
import { eventKindEnum, priorityEnum, ticketStatusEnum } from "./enums.js";
import { type SlaClock, type SlaState, slaPolicies } from "./sla.js";
import { users } from "./users.js";

/** One row per day (in the configured time zone) holding the last ticket number issued. */
export const ticketCounters = pgTable("ticket_counters", {
  day: text("day").primaryKey(),
  last: integer("last").notNull(),
});

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: ticketStatusEnum("status").notNull().default("open"),
    priority: priorityEnum("priority").notNull().default("normal"),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => categories.id, { onDelete: "restrict" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "set null" }),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    /** Client-chosen key so a retried create (bot restart, double tap) makes one ticket. */
    idempotencyKey: text("idempotency_key").unique(),
    firstResponseDueAt: timestamp("first_response_due_at", { withTimezone: true }),
    resolutionDueAt: timestamp("resolution_due_at", { withTimezone: true }),
    /** Set while the next-response clock runs (a requester's message waits for staff). */
    nextResponseDueAt: timestamp("next_response_due_at", { withTimezone: true }),
    /** The SLA policy the due times come from (null: none applies); see server/domain/sla. */
    slaPolicyId: uuid("sla_policy_id").references(() => slaPolicies.id, { onDelete: "set null" }),
    /** Kept current by the SLA scheduler job, so lists filter and sort on it. */
    slaState: text("sla_state").$type<SlaState>().notNull().default("none"),
    slaClock: jsonb("sla_clock").$type<SlaClock>(),
    /** When a breach last escalated the ticket (the queue's Escalated tab). */
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** How many times the ticket was resolved (ticket_ratings are one per resolution). */
    resolutionCount: integer("resolution_count").notNull().default(0),
    rating: smallint("rating"),
    /** How the ticket came: `ticket` (the bot's /new, the Mini App) or `live` (a live chat, server/domain/live). */
    channel: text("channel").$type<"ticket" | "live">().notNull().default("ticket"),
    /**
     * Where the requester first wrote in it (server/domain/tickets/channel.ts): bot,
     * miniapp, staff_chat, or none. Derived from the messages and kept by triggers
     * (migration `report_group_rollups_triggers`), so the queue's filter and the
     * reports read a column instead of a subquery per ticket.
     */
    requesterChannel: text("requester_channel").notNull().default("none"),
    ratingComment: text("rating_comment"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("tickets_status_priority_idx").on(t.status, t.priority),
    index("tickets_branch_status_idx").on(t.branchId, t.status),
    index("tickets_assignee_status_idx").on(t.assigneeId, t.status),
    index("tickets_requester_status_idx").on(t.requesterId, t.status),
    index("tickets_category_idx").on(t.categoryId),
    index("tickets_priority_idx").on(t.priority),
    index("tickets_created_at_idx").on(t.createdAt),
    /** Reports: first responses in a date range (docs/REPORTS.md). */
    index("tickets_first_response_at_idx").on(t.firstResponseAt),
    index("tickets_updated_at_idx").on(t.updatedAt, t.id),
    /** The queue's channel filter in its default order (a rare channel is not a long walk of the whole list). */
    index("tickets_requester_channel_idx").on(t.requesterChannel, t.updatedAt, t.id),
    index("tickets_sla_state_idx").on(t.slaState).where(sql`${t.slaState} in ('at_risk', 'breached')`),
    index("tickets_escalated_idx").on(t.escalatedAt).where(sql`${t.escalatedAt} is not null`),
  ],
);

export const ticketLabels = pgTable(
  "ticket_labels",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    labelId: uuid("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.labelId] }), index("ticket_labels_label_idx").on(t.labelId)],
);

/** The ticket thread: requester and staff messages, and internal notes. */
export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Insertion order: several messages of an album share one millisecond. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull().default(""),
    isInternal: boolean("is_internal").notNull().default(false),
    /** Where it was written: bot (private chat), staff_chat, miniapp, system. */
    source: text("source").notNull().default("bot"),
    /** The Telegram message it came from, to map edits and replies. */
    tgChatId: bigint("tg_chat_id", { mode: "number" }),
    tgMessageId: integer("tg_message_id"),
    mediaGroupId: text("media_group_id"),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("messages_ticket_idx").on(t.ticketId, t.seq),
    index("messages_author_idx").on(t.authorId),
    /** Reports: replies in a date range. */
    index("messages_created_at_idx").on(t.createdAt),
    uniqueIndex("messages_tg_origin_idx")
      .on(t.tgChatId, t.tgMessageId)
      .where(sql`${t.tgMessageId} is not null`),
  ],
);

export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Insertion order: the files of a message or of a new ticket go out in the order given. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    uploaderId: uuid("uploader_id").references(() => users.id, { onDelete: "set null" }),
    /** One of ATTACHMENT_KINDS (server/domain/tickets/attachment-policy.ts). */
    kind: text("kind").notNull().default("document"),
    fileName: text("file_name").notNull(),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    tgFileId: text("tg_file_id"),
    tgFileUniqueId: text("tg_file_unique_id"),
    /** Path of a stored copy (local directory or object key), when one was kept. */
    storagePath: text("storage_path"),
    /** What a location (latitude, longitude) or a contact (phone, names) carries instead of bytes. */
    meta: jsonb("meta").$type<Record<string, string | number>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("attachments_ticket_idx").on(t.ticketId), index("attachments_message_idx").on(t.messageId)],
);

/** History of every change to a ticket, written in the change's transaction. */
export const ticketEvents = pgTable(
  "ticket_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    kind: eventKindEnum("kind").notNull(),
    fromValue: text("from_value"),
    toValue: text("to_value"),
    comment: text("comment"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ticket_events_ticket_idx").on(t.ticketId, t.seq),
    /** Reports: status changes, reopenings, SLA warnings and breaches in a date range. */
    index("ticket_events_kind_created_idx").on(t.kind, t.createdAt),
  ],
);

/**
 * How far each person has read each ticket's thread (the queue's unread count):
 * the highest message `seq` they were shown. Written when they open the thread.
 */
export const ticketReads = pgTable(
  "ticket_reads",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.ticketId] })],
);

export type Ticket = typeof tickets.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;
export type TicketEvent = typeof ticketEvents.$inferSelect;
