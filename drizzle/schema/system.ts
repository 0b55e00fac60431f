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
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { deliveryStateEnum, notificationTypeEnum } from "./enums.js";
import { messages, tickets } from "./tickets.js";
import { users } from "./users.js";

/** Admin actions on users, branches, categories, labels and settings. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entity, t.entityId),
    index("audit_log_created_idx").on(t.createdAt),
  ],
);

/**
 * The durable outbox: every message a change causes, written in the change's
 * transaction and delivered by a worker. `payload` holds data, never text: the
 * sender renders it in the recipient's language at delivery time.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Delivery order: rows written in one transaction share created_at. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    recipientId: uuid("recipient_id").references(() => users.id, { onDelete: "cascade" }),
    /** Telegram chat to deliver to: a user's private chat or a staff group. */
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    type: notificationTypeEnum("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    isRead: boolean("is_read").notNull().default(false),
    state: deliveryStateEnum("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentMessageId: integer("sent_message_id"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    /**
     * The row whose post carries this one (server/jobs/outbox/batch.ts): queued rows
     * of a chat over its budget go out merged into one post, or in a digest. Fixed
     * when the post is first claimed, so a retry carries exactly the same rows.
     */
    carriedBy: uuid("carried_by"),
  },
  (t) => [
    // A chat's queue, walked from its head: what a claim reads grows with what it takes, not the backlog.
    index("notifications_queue_idx").on(t.chatId, t.seq).where(sql`state in ('pending', 'sending')`),
    index("notifications_queue_ticket_idx")
      .on(t.chatId, t.ticketId, t.seq)
      .where(sql`state in ('pending', 'sending')`),
    index("notifications_queue_cards_idx")
      .on(t.chatId, t.seq)
      .where(sql`state in ('pending', 'sending') and type = 'new_ticket'`),
    index("notifications_carried_idx").on(t.carriedBy).where(sql`carried_by is not null`),
    // The claim's writes (pending → sending) touch every index whose predicate the new
    // row meets: the indexes below hold only sent rows with a message id and failed
    // rows, so a claim does not write them (docs/NOTIFICATIONS.md, "What a claim writes").
    // A chat's last known message (ledger.ts) and a reply's post (thread-messages.ts).
    index("notifications_chat_message_idx")
      .on(t.chatId, t.sentMessageId)
      .where(sql`sent_message_id is not null`),
    // The failed list (admin.ts), newest first.
    index("notifications_failed_idx").on(t.seq).where(sql`state in ('failed', 'skipped')`),
    index("notifications_recipient_idx").on(t.recipientId, t.isRead),
    index("notifications_ticket_idx").on(t.ticketId),
  ],
);

/**
 * The chats the outbox has work for, one row each (server/jobs/outbox/claim.ts):
 * a claim takes the chats that are due from here instead of looking at every
 * queued row. A trigger on notifications registers a chat when a row is queued
 * for an idle chat (migration 0011); `due_at` null: nothing queued as far as the last claim saw.
 */
export const deliveryChats = pgTable(
  "delivery_chats",
  {
    chatId: bigint("chat_id", { mode: "number" }).primaryKey(),
    /** When a claim should look next: the head's next attempt, the chat's window, a 429 pause, a lease. */
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** Telegram answered 429 for this chat: no call to it from any instance before then. */
    pausedUntil: timestamp("paused_until", { withTimezone: true }),
    /** When a claim last found the queue empty (due_at set to null): the revive sweep looks at these. */
    idleSince: timestamp("idle_since", { withTimezone: true }),
    /**
     * A live chat's relays wait here (set by the domain with the row: queueLiveRelay):
     * the claim takes these chats before any other, and the flag goes when the
     * chat's queue is found empty.
     */
    live: boolean("live").notNull().default(false),
  },
  (t) => [
    index("delivery_chats_due_idx").on(t.dueAt),
    // Groups are looked at first (claim.ts): the few staff chats, found without walking the private ones.
    index("delivery_chats_group_due_idx").on(t.dueAt).where(sql`chat_id < 0`),
    // Live chats are looked at before the groups (claim.ts): found without walking the others.
    index("delivery_chats_live_due_idx").on(t.dueAt).where(sql`live`),
    index("delivery_chats_idle_idx").on(t.idleSince).where(sql`due_at is null`),
  ],
);

/**
 * The Bot API budget every instance shares (server/domain/delivery/budget.ts): one
 * row per call (or per reserved group of calls) to a chat, taken before the call
 * and dated by Telegram's answer, so no window holds more than Telegram allows.
 * Rows older than the longest window are swept.
 */
export const botCalls = pgTable(
  "bot_calls",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    calls: integer("calls").notNull().default(1),
    /** In flight until answered; a call never answered stops counting as in flight then. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    doneAt: timestamp("done_at", { withTimezone: true }),
    /**
     * Taken by the bot's own answer to someone (not an outbox row), or a mark that
     * such an answer is waiting for room (calls 0): while there are any lately, the
     * outbox's ordinary rows leave a reserve of the bot-wide window (budget.ts).
     */
    interactive: boolean("interactive").notNull().default(false),
  },
  (t) => [
    index("bot_calls_done_idx").on(t.doneAt),
    index("bot_calls_chat_done_idx").on(t.chatId, t.doneAt),
    index("bot_calls_in_flight_idx").on(t.chatId, t.expiresAt).where(sql`done_at is null`),
    // Whether anyone is being answered (every claim asks): without it, a scan of the table.
    index("bot_calls_interactive_idx").on(t.doneAt).where(sql`interactive`),
  ],
);

/**
 * The send ledger (server/jobs/outbox/ledger.ts): one row per message-sending Bot
 * API call a delivery makes ("part"), written before the call (an intent) and
 * after Telegram's answer (the message ids). An intent without an answer is in
 * doubt: the next attempt asks Telegram whether it arrived instead of sending it
 * again. Keyed by text (`<notification id>:<part>`), so a later sender (several
 * queued rows merged into one post) can use keys of its own.
 */
export const sendLedger = pgTable(
  "send_ledger",
  {
    key: text("key").primaryKey(),
    /** Kept when the row goes: the chat's last known message id is read from here. */
    notificationId: uuid("notification_id").references(() => notifications.id, { onDelete: "set null" }),
    part: integer("part").notNull(),
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    method: text("method").notNull(),
    /** sha256 of the call's parameters: says whether a replayed part is the same message. */
    fingerprint: text("fingerprint").notNull(),
    /** The reply markup sent (null: none); a probe edits a candidate with exactly this. */
    markup: jsonb("markup"),
    /** How many messages the call makes (a media group: one per item). */
    messageCount: integer("message_count").notNull().default(1),
    /** The chat's highest message id the ledger knew when the intent was written. */
    afterMessageId: integer("after_message_id"),
    /** intent → sent | refused (Telegram said no: nothing arrived) | in_doubt (undecided). */
    state: text("state").$type<SendPartState>().notNull().default("intent"),
    /** Telegram's answer (a Message, or several), replayed to a retried delivery. */
    result: jsonb("result"),
    /** The highest message id of the answer: the chat's cursor for later intents. */
    lastMessageId: integer("last_message_id"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("send_ledger_part_idx").on(t.notificationId, t.part),
    index("send_ledger_chat_idx").on(t.chatId, t.lastMessageId),
  ],
);

export const SEND_PART_STATES = ["intent", "sent", "refused", "in_doubt"] as const;
export type SendPartState = (typeof SEND_PART_STATES)[number];
export type SendLedgerRow = typeof sendLedger.$inferSelect;

/** Where a ticket lives in a staff chat: its forum topic or its card message. */
export const staffThreads = pgTable(
  "staff_threads",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    chatId: bigint("chat_id", { mode: "number" }).notNull(),
    messageThreadId: integer("message_thread_id"),
    cardMessageId: integer("card_message_id"),
    /** What the card shows now (a digest of its text and buttons): an edit that changes nothing is not made. */
    cardDigest: text("card_digest"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.chatId] }),
    index("staff_threads_topic_idx").on(t.chatId, t.messageThreadId),
  ],
);

/** Telegraf session storage: scene state and drafts survive restarts. */
export const botSessions = pgTable("bot_sessions", {
  key: text("key").primaryKey(),
  data: jsonb("data").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Update ids claimed and handled, so an update takes effect once (bot/update-claims.ts). */
export const processedUpdates = pgTable(
  "processed_updates",
  {
    updateId: bigint("update_id", { mode: "number" }).primaryKey(),
    /** When an instance claimed the update (it runs the handlers once it holds the claim). */
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
    /** The handlers ran to the end; until then another arrival of the update waits. */
    finished: boolean("finished").notNull().default(false),
    /** The process (an id made at its start) holding the claim; null: written before claims. */
    claimedBy: text("claimed_by"),
  },
  (t) => [index("processed_updates_at_idx").on(t.processedAt)],
);

/**
 * Everything that happens later (auto-close, and the SLA clocks, reports and
 * presence timeouts to come) is a row here, run by the scheduler
 * (server/jobs/scheduler): claimed with SKIP LOCKED, each once across instances.
 * `key` names what a job is about (`auto_close:<ticket id>`), so scheduling again
 * moves the one job instead of adding another.
 */
export const scheduledJobs = pgTable(
  "scheduled_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    key: text("key").notNull().unique(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** pending → running (with a lease) → done | failed; cancelled when what it was for went away. */
    state: text("state").notNull().default("pending"),
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    /** While running: when the lease ends and another instance may take the job over. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("scheduled_jobs_due_idx").on(t.state, t.runAt)],
);

export type ScheduledJob = typeof scheduledJobs.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;

/**
 * Answers to writes sent with an Idempotency-Key (server/domain/idempotency): the
 * first request claims (user, key) by inserting the row, so a racing duplicate
 * finds it taken; the answer is stored once the write is done and replayed to
 * retries for 24 hours. `status` is null while the first request is still running.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** Method and path the key was first used for ("POST /api/tickets/…/messages"). */
    route: text("route").notNull(),
    /** sha-256 of the request's body: the same key with another body is a mistake, not a retry. */
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    body: jsonb("body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
