import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  branches,
  type NewNotification,
  notifications,
  settings,
  type Ticket,
  type User,
  users,
} from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { activeStaffCovering } from "../permissions.js";
import { getSetting, settingValue } from "../settings/store.js";
import { type Audience, audiencesFor, type TicketChange, wantsNotification } from "./rules.js";

/**
 * The staff group of a ticket's scope: its branch's chat, else the admin setting,
 * else STAFF_CHAT_ID. Both stored values come in one statement (it runs for
 * every message of every ticket).
 */
export async function staffChatFor(tx: DbOrTx, ctx: ServiceContext, branchId: string | null) {
  const [row] = await tx
    .select({
      branchChat:
        sql`(select ${branches.staffChatId} from ${branches} where ${branches.id} = ${branchId})`.mapWith(
          branches.staffChatId,
        ),
      setting:
        sql`(select ${settings.value} from ${settings} where ${settings.key} = 'staff_chat_id')`.mapWith(
          settings.value,
        ),
    })
    .from(sql`(values (1)) as one`);
  return pickStaffChat(ctx, row?.branchChat, row?.setting);
}

/** staffChatFor's choice from the stored values (callers that read them in a statement of their own). */
export function pickStaffChat(ctx: ServiceContext, branchChat: number | null | undefined, setting: unknown) {
  if (branchChat) return branchChat;
  return settingValue("staff_chat_id", setting) ?? ctx.settings.staffChatId;
}

/**
 * Every staff group the product posts to: the global one (admin setting, else
 * STAFF_CHAT_ID) and each branch's own. The doctor checks them all; the bot gives
 * each its staff command menu.
 */
export async function allStaffChats(db: DbOrTx, fallback: number | null): Promise<number[]> {
  const chats = new Set<number>();
  const global = (await getSetting(db, "staff_chat_id")) ?? fallback;
  if (global) chats.add(global);
  const rows = await db
    .select({ chat: branches.staffChatId })
    .from(branches)
    .where(isNotNull(branches.staffChatId));
  for (const b of rows) if (b.chat) chats.add(b.chat);
  return [...chats];
}

/**
 * Writes the outbox rows a ticket change causes, in the change's transaction.
 * The idempotency key (event id + recipient) makes a retried write a no-op and lets
 * the sender deliver each row once. The actor never hears of their own action.
 */
export async function recordTicketNotifications(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  eventId: string,
  change: TicketChange,
): Promise<void> {
  const recipients: Recipients = {
    staffChat: () => staffChatFor(tx, ctx, ticket.branchId),
    users: (audience) => resolveUsers(tx, ticket, audience),
  };
  const rows = await notificationRows(ctx, ticket, eventId, change, recipients);
  if (rows.length > 0) await tx.insert(notifications).values(rows).onConflictDoNothing();
}

/** Where the audiences of a change are: looked up in the change's transaction, or read already. */
export interface Recipients {
  staffChat(): Promise<number | null> | number | null;
  users(audience: Exclude<Audience, { to: "staff_chat" | "chat" }>): Promise<User[]> | User[];
}

/** The outbox rows of a change (recordTicketNotifications writes them). */
export async function notificationRows(
  ctx: ServiceContext,
  ticket: Pick<Ticket, "id" | "number" | "assigneeId" | "channel">,
  eventId: string,
  change: TicketChange,
  recipients: Recipients,
): Promise<NewNotification[]> {
  const rows: NewNotification[] = [];
  const base = {
    ticketId: ticket.id,
    messageId: change.kind === "message" ? change.messageId : null,
    payload: { change, ticketNumber: ticket.number, ...slaFacts(change) } as Record<string, unknown>,
  };
  for (const audience of audiencesFor(change, ticket.assigneeId)) {
    if (audience.to === "staff_chat") {
      const chatId = await recipients.staffChat();
      // Staff who answered inside the staff chat (a topic, a reply to the card) see their words there.
      if (chatId === null || (change.kind === "message" && change.originChatId === chatId)) continue;
      rows.push({ ...base, chatId, type: audience.type, idempotencyKey: `${eventId}:chat:${chatId}` });
      continue;
    }
    if (audience.to === "chat") {
      // A chat named by a policy gets its own post, unless it is the staff chat that has one.
      if (rows.some((r) => r.chatId === audience.chatId && !r.recipientId)) continue;
      const chatId = audience.chatId;
      rows.push({ ...base, chatId, type: audience.type, idempotencyKey: `${eventId}:chat:${chatId}` });
      continue;
    }
    for (const user of await recipients.users(audience)) {
      if (user.id === ctx.actor.id || !user.isActive) continue;
      if (!wantsNotification(user, audience.type)) continue;
      rows.push({
        ...base,
        ...liveRelay(ticket, change, base.payload),
        recipientId: user.id,
        chatId: user.telegramId,
        type: audience.type,
        state: user.botBlocked ? "skipped" : "pending",
        lastError: user.botBlocked ? "bot_blocked" : null,
        idempotencyKey: `${eventId}:user:${user.id}`,
      });
    }
  }
  return rows;
}

/**
 * A message of a live chat relayed to the other side's private chat is marked
 * `live`: the trigger on notifications puts its chat in the outbox's first lane,
 * so it is claimed before any backlog of other chats (docs/NOTIFICATIONS.md,
 * "The live lane"). Still one post per chat in order, within the chat's window.
 */
function liveRelay(
  ticket: Pick<Ticket, "channel">,
  change: TicketChange,
  payload: Record<string, unknown>,
): { payload?: Record<string, unknown> } {
  return ticket.channel === "live" && change.kind === "message"
    ? { payload: { ...payload, live: true } }
    : {};
}

/** What an SLA notice says, at the payload's top level where the renderer reads it. */
function slaFacts(change: TicketChange) {
  return change.kind === "sla" ? { target: change.target, dueAt: change.dueAt, raise: change.raise } : {};
}

async function resolveUsers(
  tx: DbOrTx,
  ticket: Ticket,
  audience: Exclude<Audience, { to: "staff_chat" | "chat" }>,
) {
  if (audience.to === "requester") return tx.select().from(users).where(eq(users.id, ticket.requesterId));
  if (audience.to === "user") return tx.select().from(users).where(eq(users.id, audience.userId));
  if (audience.to === "scope_moderators")
    return tx
      .select()
      .from(users)
      .where(and(eq(users.role, "moderator"), activeStaffCovering(ticket.branchId)));
  return tx.select().from(users).where(activeStaffCovering(ticket.branchId));
}

/**
 * The answer to the author of a message sent in a Telegram chat ("✉️ Added to
 * T-…"), queued with the message: the outbox sends it within Telegram's limits,
 * retries it after a 429, and merges a burst of them into one post.
 */
export function receivedRow(
  ctx: ServiceContext,
  ticket: Pick<Ticket, "id" | "number">,
  eventId: string,
  messageId: string,
  internal: boolean,
  chatId: number,
): NewNotification {
  const change: TicketChange = { kind: "received", internal };
  return {
    ticketId: ticket.id,
    messageId,
    recipientId: ctx.actor.id,
    chatId,
    type: "received",
    payload: { change, ticketNumber: ticket.number },
    idempotencyKey: `${eventId}:received`,
  };
}
