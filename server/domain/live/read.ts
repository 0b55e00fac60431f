import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type LiveChat, liveChats, tickets, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isStaffReader, isWorker, WORKING_ROLES } from "../permissions.js";
import { getSetting } from "../settings/store.js";
import { liveLoadOf } from "./routing.js";

export interface LiveChatView {
  id: string;
  ticketId: string;
  ticketNumber: string;
  state: LiveChat["state"];
  categoryId: string;
  requesterId: string;
  requesterName: string;
  operatorId: string | null;
  /** The operator's first name (what the requester's screen says): null while nobody talks. */
  operatorName: string | null;
  offeredTo: string | null;
  offerExpiresAt: string | null;
  queuedAt: string;
  acceptedAt: string | null;
  /** 1-based place in the queue (queued chats only). */
  position: number | null;
}

const OPEN = ["queued", "offered", "active"] as const;

/** Live chats as the screens show them, in queue order, with positions counted among all queued chats. */
export async function viewsOf(tx: DbOrTx, where: ReturnType<typeof and>): Promise<LiveChatView[]> {
  const rows = await tx
    .select({
      chat: liveChats,
      number: tickets.number,
      firstName: users.firstName,
      lastName: users.lastName,
      operatorName: sql<
        string | null
      >`(select o.first_name from ${users} o where o.id = ${liveChats.operatorId})`,
      position: sql<number | null>`case when ${liveChats.state} = 'queued' then
        (select count(*)::int from ${liveChats} q where q.state = 'queued'
          and (q.queued_at, q.id) <= (${liveChats.queuedAt}, ${liveChats.id})) end`,
    })
    .from(liveChats)
    .innerJoin(tickets, eq(tickets.id, liveChats.ticketId))
    .innerJoin(users, eq(users.id, liveChats.requesterId))
    .where(where)
    .orderBy(asc(liveChats.queuedAt), asc(liveChats.id));
  return rows.map(({ chat, number, firstName, lastName, operatorName, position }) => ({
    id: chat.id,
    ticketId: chat.ticketId,
    ticketNumber: number,
    state: chat.state,
    categoryId: chat.categoryId,
    requesterId: chat.requesterId,
    requesterName: [firstName, lastName].filter(Boolean).join(" "),
    operatorId: chat.operatorId,
    operatorName,
    offeredTo: chat.offeredTo,
    offerExpiresAt: chat.offerExpiresAt?.toISOString() ?? null,
    queuedAt: chat.queuedAt.toISOString(),
    acceptedAt: chat.acceptedAt?.toISOString() ?? null,
    position,
  }));
}

/** Scope of a staff reader over live chats: their branch's (and the branchless'), or all. */
function scopeOf(ctx: ServiceContext) {
  const a = ctx.actor;
  if (a.role === "admin" || a.role === "owner" || a.role === "system" || a.branchId === null)
    return undefined;
  return or(eq(liveChats.branchId, a.branchId), sql`${liveChats.branchId} is null`);
}

/**
 * The supervisors' board: live chats waiting and being talked in their scope, in
 * queue order, and the staff who are online or busy with their load and capacity.
 */
export async function liveBoard({ ctx }: { ctx: ServiceContext }) {
  if (!isStaffReader(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "live.board" });
  const chats = await viewsOf(ctx.db, and(inArray(liveChats.state, [...OPEN]), scopeOf(ctx)));
  const capacity = await getSetting(ctx.db, "live_capacity");
  const staff = await ctx.db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      presence: users.presence,
      load: liveLoadOf(sql`${users.id}`),
      capacity: sql<number>`coalesce(${users.liveCapacity}, ${capacity})`,
    })
    .from(users)
    .where(
      and(
        inArray(users.presence, ["online", "busy"]),
        eq(users.isActive, true),
        inArray(users.role, [...WORKING_ROLES]),
      ),
    )
    .orderBy(asc(users.firstName));
  return { chats, staff };
}

/** An operator's own: chats offered to them and chats they talk in. */
export async function myLiveChats({ ctx }: { ctx: ServiceContext }): Promise<LiveChatView[]> {
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  if (!isWorker(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "live.mine" });
  return viewsOf(
    ctx.db,
    or(
      and(eq(liveChats.state, "offered"), eq(liveChats.offeredTo, self)),
      and(eq(liveChats.state, "active"), eq(liveChats.operatorId, self)),
    ),
  );
}

/**
 * The open live chats a person is part of, for the bot's private chat: as the
 * requester (one at most) or as the operator (their active ones, last accepted
 * first), with the other side's Telegram chat for typing.
 */
export async function openLiveChatsOf(db: DbOrTx, userId: string) {
  const rows = await db
    .select({
      id: liveChats.id,
      ticketId: liveChats.ticketId,
      state: liveChats.state,
      requesterId: liveChats.requesterId,
      operatorId: liveChats.operatorId,
      requesterChat:
        sql<number>`(select telegram_id from ${users} r where r.id = ${liveChats.requesterId})`.mapWith(
          Number,
        ),
      operatorChat: sql<
        number | null
      >`(select telegram_id from ${users} o where o.id = ${liveChats.operatorId})`.mapWith(Number),
    })
    .from(liveChats)
    .where(
      or(
        and(eq(liveChats.requesterId, userId), inArray(liveChats.state, [...OPEN])),
        and(eq(liveChats.operatorId, userId), eq(liveChats.state, "active")),
      ),
    )
    .orderBy(sql`${liveChats.acceptedAt} desc nulls last`);
  return rows.map((r) => ({
    ...r,
    asRequester: r.requesterId === userId,
    otherChat: r.requesterId === userId ? r.operatorChat : r.requesterChat,
  }));
}
