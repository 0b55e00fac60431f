import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type LiveChat, liveChats, tickets, type User, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { rowsOf } from "../delivery/budget.js";
import { activeStaffCovering } from "../permissions.js";
import { scheduleJob } from "../schedule/jobs.js";
import { getSetting } from "../settings/store.js";
import { recordLiveNotice, skipPendingPositions } from "./notices.js";

/** One routing at a time across instances: two would offer the same operator two chats past their capacity. */
const ROUTING_LOCK = 18_018_018;
/**
 * The first places hear of every move; those further back at most once per gap,
 * so a long queue moving fast is not hundreds of edits a second (Telegram allows
 * about 30 messages a second in all, and live relays share them).
 */
const ALWAYS_TOLD_PLACES = 3;
const POSITION_EDIT_GAP_MS = 30_000;
/** The estimated wait when no live chat has ended yet. */
const DEFAULT_HANDLE_MINUTES = 5;

/**
 * Takes the routing lock for the rest of the transaction (taken again later, it is
 * already held). An ask takes it before it reads the time it is queued at: a chat
 * queued earlier but committed later would otherwise be invisible to a routing
 * that offers a later one first.
 */
export async function lockRouting(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ROUTING_LOCK})`);
}

export const offerJobKey = (chatId: string) => `live_offer:${chatId}`;

/** Chats an operator holds now: accepted and still talking, or offered and not yet answered. */
export const liveLoadOf = (userId: SQL) =>
  sql<number>`(select count(*)::int from ${liveChats} l
    where (l.operator_id = ${userId} and l.state = 'active') or (l.offered_to = ${userId} and l.state = 'offered'))`;

/**
 * The operator a queued chat is offered to: online, working the chat's branch,
 * with the category among their skills (no skills: every category), below their
 * capacity, and idle the longest (never had a chat first). Operators who passed
 * on this chat come last, only when nobody else can take it.
 */
async function pickOperator(tx: DbOrTx, chat: LiveChat, capacity: number): Promise<User | null> {
  const passed =
    chat.passedBy.length > 0
      ? sql`(${users.id} = any(${`{${chat.passedBy.join(",")}}`}::uuid[]))`
      : sql`(${users.id} is null)`;
  const [row] = await tx
    .select()
    .from(users)
    .where(
      and(
        eq(users.presence, "online"),
        activeStaffCovering(chat.branchId),
        sql`(cardinality(${users.skills}) = 0 or ${chat.categoryId}::uuid = any(${users.skills}))`,
        sql`${liveLoadOf(sql`${users.id}`)} < coalesce(${users.liveCapacity}, ${capacity})`,
      ),
    )
    .orderBy(passed, sql`${users.liveIdleSince} asc nulls first`, asc(users.id))
    .limit(1);
  return row ?? null;
}

/** Whether any online operator has room at all: a full house skips walking the queue. */
async function anyRoom(tx: DbOrTx, capacity: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.presence, "online"),
        eq(users.isActive, true),
        sql`${liveLoadOf(sql`${users.id}`)} < coalesce(${users.liveCapacity}, ${capacity})`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Average handle time of the last ended chats, in minutes (the estimated wait's unit). */
async function handleMinutes(tx: DbOrTx): Promise<number> {
  const result = await tx.execute(sql`
    select avg(extract(epoch from (ended_at - accepted_at)) / 60)::float8 as minutes from (
      select ended_at, accepted_at from ${liveChats}
      where state = 'ended' and accepted_at is not null order by ended_at desc limit 50) recent`);
  const [row] = rowsOf<{ minutes: number | null }>(result);
  return row?.minutes && row.minutes > 0 ? row.minutes : DEFAULT_HANDLE_MINUTES;
}

/**
 * Walks the queue in strict order (queued time, then id) and offers each chat to
 * the operator pickOperator finds; a chat nobody can take now stays, and a later
 * one may still go to an operator the earlier one cannot use (another skill).
 * Then tells every requester still waiting their position and estimated wait, when
 * it changed (the first as a message, later ones as edits of it). Runs in the
 * caller's transaction, after every change that frees, adds or removes a place.
 */
export async function routeQueue(tx: DbOrTx, ctx: ServiceContext): Promise<void> {
  await lockRouting(tx);
  const now = ctx.clock.now();
  const capacity = await getSetting(tx, "live_capacity");
  const offerSeconds = await getSetting(tx, "live_offer_seconds");
  const queued = await tx
    .select()
    .from(liveChats)
    .where(eq(liveChats.state, "queued"))
    .orderBy(asc(liveChats.queuedAt), asc(liveChats.id));
  const waiting: LiveChat[] = [];
  let room = await anyRoom(tx, capacity);
  for (const chat of queued) {
    const operator = room ? await pickOperator(tx, chat, capacity) : null;
    if (!operator) {
      waiting.push(chat);
      continue;
    }
    await offerChat(tx, chat, operator, new Date(now.getTime() + offerSeconds * 1000));
    room = await anyRoom(tx, capacity);
  }
  await tellPositions(tx, waiting, capacity, now);
}

async function offerChat(tx: DbOrTx, chat: LiveChat, operator: User, expiresAt: Date) {
  const [offered] = await tx
    .update(liveChats)
    .set({ state: "offered", offeredTo: operator.id, offerExpiresAt: expiresAt })
    .where(and(eq(liveChats.id, chat.id), eq(liveChats.state, "queued")))
    .returning();
  if (!offered) return;
  await scheduleJob(tx, {
    kind: "live_offer_timeout",
    key: offerJobKey(chat.id),
    runAt: expiresAt,
    payload: { chatId: chat.id, offeredTo: operator.id },
  });
  const [ticket] = await tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(eq(tickets.id, chat.ticketId));
  const [requester] = await tx.select().from(users).where(eq(users.id, chat.requesterId));
  // Positions not yet sent are out of date; if the offer comes back, the place is told again.
  if (requester?.telegramId && (await skipPendingPositions(tx, chat.id, requester.telegramId)) > 0)
    await tx.update(liveChats).set({ lastPosition: null }).where(eq(liveChats.id, chat.id));
  await recordLiveNotice(tx, ticket, operator, { event: "offer", chatId: chat.id, name: nameOf(requester) });
}

/** Positions and estimated waits of the chats still queued, told only when they moved. */
async function tellPositions(tx: DbOrTx, waiting: LiveChat[], capacity: number, now: Date) {
  // Only the chats whose place changed and may be told now are read further (a long queue asks often).
  const due = waiting
    .map((chat, i) => ({ chat, position: i + 1 }))
    .filter(({ chat, position }) => {
      if (chat.lastPosition === position) return false;
      const recent =
        chat.positionToldAt && now.getTime() - chat.positionToldAt.getTime() < POSITION_EDIT_GAP_MS;
      return !recent || position <= ALWAYS_TOLD_PLACES;
    });
  if (due.length === 0) return;
  const minutes = await handleMinutes(tx);
  const [seats] = await tx
    .select({ n: sql<number>`coalesce(sum(coalesce(${users.liveCapacity}, ${capacity})), 0)::int` })
    .from(users)
    .where(and(inArray(users.presence, ["online", "busy"]), eq(users.isActive, true)));
  const perMinute = Math.max(1, seats?.n ?? 0) / minutes;
  const requesters = await tx
    .select()
    .from(users)
    .where(
      inArray(
        users.id,
        due.map((d) => d.chat.requesterId),
      ),
    );
  const byId = new Map(requesters.map((u) => [u.id, u]));
  const numbers = await tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(
      inArray(
        tickets.id,
        due.map((d) => d.chat.ticketId),
      ),
    );
  const numberOf = new Map(numbers.map((t) => [t.id, t.number]));
  for (const { chat, position } of due) {
    const reader = byId.get(chat.requesterId);
    if (!reader) continue;
    const waitMinutes = Math.max(1, Math.ceil(position / perMinute));
    const ticket = { id: chat.ticketId, number: numberOf.get(chat.ticketId) ?? "" };
    const event = chat.positionNoticeId ? "position" : "queued";
    const id = await recordLiveNotice(
      tx,
      ticket,
      reader,
      { event, chatId: chat.id, position, waitMinutes },
      chat.positionNoticeId,
    );
    await tx
      .update(liveChats)
      .set({ lastPosition: position, positionNoticeId: chat.positionNoticeId ?? id, positionToldAt: now })
      .where(eq(liveChats.id, chat.id));
  }
}

/** A person's name as notices show it (the bot escapes it). */
export function nameOf(u: Pick<User, "firstName" | "lastName" | "username"> | undefined): string {
  if (!u) return "";
  const full = [u.firstName, u.lastName].filter(Boolean).join(" ").trim();
  return full || (u.username ? `@${u.username}` : "");
}
