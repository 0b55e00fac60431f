import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { branches, categories } from "./catalog.js";
import { tickets } from "./tickets.js";
import { users } from "./users.js";

/**
 * Where a live chat stands: waiting in the queue, offered to one operator (who may
 * accept or decline until the offer expires), being talked, ended by someone, or
 * left by the requester before anyone took it.
 */
export const LIVE_CHAT_STATES = ["queued", "offered", "active", "ended", "abandoned"] as const;
export type LiveChatState = (typeof LIVE_CHAT_STATES)[number];

/**
 * One live chat (docs/LIVE.md). The talk itself is the thread of its ticket (channel
 * `live`): messages, files and history stay there; this row only keeps the queue's
 * and the routing's state.
 */
export const liveChats = pgTable(
  "live_chats",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .unique()
      .references(() => tickets.id, { onDelete: "cascade" }),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => categories.id, { onDelete: "restrict" }),
    /** The ticket's branch: which operators' scope covers the chat. */
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "set null" }),
    state: text("state").$type<LiveChatState>().notNull().default("queued"),
    /** The queue's order: strictly this time (then id), also after a declined or expired offer. */
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull(),
    offeredTo: uuid("offered_to").references(() => users.id, { onDelete: "set null" }),
    offerExpiresAt: timestamp("offer_expires_at", { withTimezone: true }),
    operatorId: uuid("operator_id").references(() => users.id, { onDelete: "set null" }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** Who ended or left it (null: the system). */
    endedBy: uuid("ended_by").references(() => users.id, { onDelete: "set null" }),
    /** Operators who declined the offer or let it time out: the next offer goes to someone else. */
    passedBy: uuid("passed_by").array().notNull().default(sql`'{}'::uuid[]`),
    /** The outbox row of the requester's "you are number N" message, which later positions edit. */
    positionNoticeId: uuid("position_notice_id"),
    /** The position last told to the requester (an unchanged one is not sent again). */
    lastPosition: integer("last_position"),
    /** When the position was last told: further back than the first places, at most one edit per POSITION_EDIT_GAP. */
    positionToldAt: timestamp("position_told_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("live_chats_state_queued_idx").on(t.state, t.queuedAt),
    index("live_chats_operator_state_idx").on(t.operatorId, t.state),
    index("live_chats_offered_to_idx").on(t.offeredTo),
    /** One live chat at a time per requester. */
    uniqueIndex("live_chats_one_open_per_requester")
      .on(t.requesterId)
      .where(sql`${t.state} in ('queued', 'offered', 'active')`),
  ],
);

export type LiveChat = typeof liveChats.$inferSelect;
