import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { branches } from "./catalog.js";
import { languageEnum, moderationStateEnum, type NotificationType, presenceEnum, roleEnum } from "./enums.js";

/** Per-kind opt-out: a missing key means "on". */
export type NotificationPrefs = Partial<Record<NotificationType, boolean>>;

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    telegramId: bigint("telegram_id", { mode: "number" }).notNull().unique(),
    username: text("username"),
    firstName: text("first_name").notNull().default(""),
    lastName: text("last_name"),
    language: languageEnum("language").notNull().default("fa"),
    /** False until the user picked a language (the bot asks on first /start). */
    languageChosen: boolean("language_chosen").notNull().default(false),
    role: roleEnum("role").notNull().default("requester"),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "set null" }),
    isActive: boolean("is_active").notNull().default(true),
    phone: text("phone"),
    email: text("email"),
    /** Category ids this staff member handles (skill-based assignment). */
    skills: uuid("skills").array().notNull().default(sql`'{}'::uuid[]`),
    presence: presenceEnum("presence").notNull().default("offline"),
    /** Last thing a staff member did while online or busy (live chat: offline after `presence_timeout_minutes` without any). */
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }),
    /** Most live chats at once (null: the `live_capacity` setting). */
    liveCapacity: integer("live_capacity"),
    /** When their last live chat was accepted or ended: the longest idle is offered the next one. */
    liveIdleSince: timestamp("live_idle_since", { withTimezone: true }),
    /** Marked away (/away, the Mini App): auto-assignment passes them by. */
    away: boolean("away").notNull().default(false),
    /** Most open tickets auto-assignment gives them (null: the assignment policy's capacity). */
    maxOpenTickets: integer("max_open_tickets"),
    /** When auto-assignment last gave them a ticket (round robin's turn, least busy's tie-break). */
    lastAssignedAt: timestamp("last_assigned_at", { withTimezone: true }),
    notifyPrefs: jsonb("notify_prefs").$type<NotificationPrefs>().notNull().default({}),
    /** Set when Telegram says the user blocked the bot (403); cleared when they come back. */
    botBlocked: boolean("bot_blocked").notNull().default(false),
    /** Banned or shadow-banned by a moderator (server/domain/abuse/). */
    moderation: moderationStateEnum("moderation").notNull().default("none"),
    /** When a banned user was told so: the one notice they get (null: not yet told). */
    banNoticeAt: timestamp("ban_notice_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("users_role_branch_idx").on(t.role, t.branchId)],
);

/** Rotating refresh tokens of the Mini App; only a hash is stored. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    replacedBy: uuid("replaced_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("refresh_tokens_user_idx").on(t.userId)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
