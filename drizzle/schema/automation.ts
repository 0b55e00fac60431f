import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { branches, categories } from "./catalog.js";
import { tickets } from "./tickets.js";
import { users } from "./users.js";

/** How new and freed tickets of a scope find an agent. */
export const ASSIGNMENT_STRATEGIES = ["off", "round_robin", "least_busy"] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

/**
 * Auto-assignment per branch (null: tickets without a branch) and optionally per
 * category; the most specific row wins, none means off. `capacity` is the default
 * most open tickets an agent holds (users.max_open_tickets overrides it).
 */
export const assignmentPolicies = pgTable(
  "assignment_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    categoryId: uuid("category_id").references(() => categories.id, { onDelete: "cascade" }),
    strategy: text("strategy").$type<AssignmentStrategy>().notNull().default("off"),
    capacity: integer("capacity").notNull().default(10),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("assignment_policies_scope_key").on(t.branchId, t.categoryId).nullsNotDistinct()],
);

/** When automation rules run. */
export const RULE_EVENTS = ["ticket_created", "ticket_updated", "message_created"] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];

/** One condition of a rule: a ticket or message field compared with a value. */
export interface RuleCondition {
  field: "category" | "branch" | "priority" | "status" | "label" | "text" | "requester_language" | "author";
  op: "is" | "is_not" | "contains";
  value: string;
}

/** One action of a rule. */
export type RuleAction =
  | { type: "set_priority"; value: string }
  | { type: "set_category"; value: string }
  | { type: "add_label"; value: string }
  | { type: "set_status"; value: string }
  | { type: "assign"; userId: string }
  /** Hand the ticket to the scope's auto-assignment (its strategy, skills and capacity). */
  | { type: "assign_auto" }
  | { type: "add_note"; body: string }
  | { type: "send_canned"; cannedReplyId: string }
  | { type: "notify_chat"; chatId: number; text: string };

/** Chatwoot/Zammad-style rules: on an event, if the conditions match (all or any), do the actions. */
export const automationRules = pgTable(
  "automation_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    event: text("event").$type<RuleEvent>().notNull(),
    match: text("match").$type<"all" | "any">().notNull().default("all"),
    conditions: jsonb("conditions").$type<RuleCondition[]>().notNull().default([]),
    actions: jsonb("actions").$type<RuleAction[]>().notNull().default([]),
    active: boolean("active").notNull().default(true),
    /** Rules of an event run in this order. */
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("automation_rules_event_idx").on(t.event, t.position).where(sql`${t.active}`)],
);

/** Who sees a canned reply: its owner only, a branch's staff, or every staff member. */
export const CANNED_SCOPES = ["personal", "branch", "global"] as const;
export type CannedScope = (typeof CANNED_SCOPES)[number];

/** A file a canned reply sends with its text (a stored copy and/or a Telegram file id). */
export interface CannedFile {
  kind: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  storagePath?: string | null;
  tgFileId?: string | null;
}

/** Prepared answers with placeholders ({requester.first_name}, {ticket.number}, …), per language. */
export const cannedReplies = pgTable(
  "canned_replies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scope: text("scope").$type<CannedScope>().notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /** The text per language (fa, en, ru); the requester's language is used, else the first present. */
    bodies: jsonb("bodies").$type<Partial<Record<"fa" | "en" | "ru", string>>>().notNull(),
    files: jsonb("files").$type<CannedFile[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("canned_replies_scope_idx").on(t.scope, t.branchId, t.ownerId)],
);

/**
 * A requester's satisfaction rating, one per resolution of a ticket (a reopened and
 * again resolved ticket may be rated again), changeable for 24 hours.
 */
export const ticketRatings = pgTable(
  "ticket_ratings",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    /** Which resolution of the ticket (1 for the first). */
    resolution: integer("resolution").notNull(),
    score: smallint("score").notNull(),
    comment: text("comment"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.resolution] }),
    index("ticket_ratings_created_idx").on(t.createdAt),
  ],
);

export type AssignmentPolicy = typeof assignmentPolicies.$inferSelect;
export type AutomationRule = typeof automationRules.$inferSelect;
export type CannedReply = typeof cannedReplies.$inferSelect;
export type TicketRating = typeof ticketRatings.$inferSelect;
