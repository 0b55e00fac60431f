import { and, asc, count, gt, inArray, lte, min, sql } from "drizzle-orm";
import { z } from "zod";
import {
  branches,
  deliveryChats,
  type LocalizedText,
  notifications,
  users,
} from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { isAdmin, requireRole } from "../permissions.js";
import { getSetting } from "../settings/store.js";
import { parseInput } from "../validate.js";
import { isGroupChat } from "./budget.js";

/**
 * A chat whose oldest queued notification is this old is "behind": past what a
 * burst within Telegram's limits explains (a group's 20 a minute clears a normal
 * burst well within it), so someone should look. The doctor warns from here on
 * and the Mini App marks the chat.
 */
export const DELIVERY_LAG_WARN_SECONDS = 120;

export const deliveryBacklogSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only chats at least this far behind (seconds); 0: every chat with something queued. */
  minLagSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(365 * 24 * 3600)
    .default(0),
});
export type DeliveryBacklogInput = z.input<typeof deliveryBacklogSchema>;

/** One chat with notifications waiting, as an admin needs to recognise and judge it. */
export interface ChatBacklog {
  chatId: number;
  /** A group (a staff chat) rather than a person's private chat. */
  isGroup: boolean;
  /** Rows pending or being sent. */
  queued: number;
  /** When the oldest queued row was written. */
  oldestAt: Date;
  /** Its age in seconds: how far behind the chat is. */
  lagSeconds: number;
  behind: boolean;
  /** Telegram answered 429 for this chat: nothing goes to it before then (null: not paused). */
  pausedUntil: Date | null;
  /** The person whose private chat it is, when they are known. */
  user: { id: string; firstName: string; lastName: string | null; username: string | null } | null;
  /** The branch whose staff chat it is. */
  branch: { id: string; name: LocalizedText } | null;
  /** The main staff chat (the `staff_chat_id` setting, else STAFF_CHAT_ID). */
  mainStaffChat: boolean;
}

/**
 * The chats the outbox is behind on, worst first (admins only): how many rows
 * each has queued and how old the oldest is. Ages are taken against the
 * database's clock, which stamps the rows (created_at defaults to now()), so an
 * application clock that drifts cannot make a chat look behind or up to date.
 * A row an admin put back with `retryNotification` counts from when it was
 * first written: the person has been waiting that long.
 */
export async function deliveryBacklog({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input?: unknown;
}): Promise<ChatBacklog[]> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "notifications.backlog");
  const f = parseInput(deliveryBacklogSchema, input ?? {});
  const oldest = min(notifications.createdAt);
  // One pass over the queue's partial index: its size is the backlog, not the table's. The
  // states are written as literals, as in the index's predicate, so the planner can prove
  // the index covers the query (bound parameters would leave a generic plan without it).
  const rows = await ctx.db
    .select({
      chatId: notifications.chatId,
      queued: count(),
      oldestAt: oldest,
      lagSeconds: sql<number>`floor(extract(epoch from now() - ${oldest}))::int`,
    })
    .from(notifications)
    .where(sql`${notifications.state} in ('pending', 'sending')`)
    .groupBy(notifications.chatId)
    .having(lte(oldest, sql`now() - make_interval(secs => ${f.minLagSeconds})`))
    .orderBy(asc(oldest), asc(notifications.chatId))
    .limit(f.limit);
  if (rows.length === 0) return [];
  const names = await chatNames(
    ctx,
    rows.map((r) => r.chatId),
  );
  return rows.map((r) => ({
    chatId: r.chatId,
    isGroup: isGroupChat(r.chatId),
    queued: Number(r.queued),
    oldestAt: r.oldestAt as Date,
    lagSeconds: Math.max(0, Number(r.lagSeconds)),
    behind: Number(r.lagSeconds) >= DELIVERY_LAG_WARN_SECONDS,
    pausedUntil: names.paused.get(r.chatId) ?? null,
    user: names.users.get(r.chatId) ?? null,
    branch: names.branches.get(r.chatId) ?? null,
    mainStaffChat: r.chatId === names.mainStaffChat,
  }));
}

/**
 * Who the chats are, in a few small reads keyed by the (at most `limit`) chat ids
 * rather than joins on the aggregate: several branches may share one staff chat,
 * and a join would count that chat's rows once per branch.
 */
async function chatNames(ctx: ServiceContext, chatIds: number[]) {
  const privateIds = chatIds.filter((id) => !isGroupChat(id));
  const groupIds = chatIds.filter(isGroupChat);
  const [paused, people, staffChats, mainStaffChat] = await Promise.all([
    ctx.db
      .select({ chatId: deliveryChats.chatId, until: deliveryChats.pausedUntil })
      .from(deliveryChats)
      .where(and(inArray(deliveryChats.chatId, chatIds), gt(deliveryChats.pausedUntil, sql`now()`))),
    privateIds.length === 0
      ? []
      : ctx.db
          .select({
            id: users.id,
            telegramId: users.telegramId,
            firstName: users.firstName,
            lastName: users.lastName,
            username: users.username,
          })
          .from(users)
          .where(inArray(users.telegramId, privateIds)),
    groupIds.length === 0
      ? []
      : ctx.db
          .select({ id: branches.id, name: branches.name, chatId: branches.staffChatId })
          .from(branches)
          .where(inArray(branches.staffChatId, groupIds))
          .orderBy(asc(branches.code)),
    getSetting(ctx.db, "staff_chat_id"),
  ]);
  // Branches sharing a staff chat: the first by code names it.
  const branchOf = new Map<number, NonNullable<ChatBacklog["branch"]>>();
  for (const { chatId, id, name } of staffChats)
    if (chatId !== null && !branchOf.has(chatId)) branchOf.set(chatId, { id, name });
  return {
    paused: new Map(paused.map((p) => [p.chatId, p.until])),
    users: new Map(people.map(({ telegramId, ...u }) => [telegramId, u])),
    branches: branchOf,
    mainStaffChat: mainStaffChat ?? ctx.settings.staffChatId,
  };
}
