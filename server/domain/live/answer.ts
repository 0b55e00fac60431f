import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type LiveChat, liveChats, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isSystem, isWorker } from "../permissions.js";
import { cancelJob } from "../schedule/jobs.js";
import { applyAssignment } from "../tickets/assign.js";
import { changeEventOf } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { type LoadedChat, loadChatForChange, userById } from "./load.js";
import { recordLiveNotice } from "./notices.js";
import { touchPresence } from "./presence.js";
import { nameOf, offerJobKey, routeQueue } from "./routing.js";
import { liveChatIdSchema, offerTimeoutJobSchema } from "./schemas.js";

/**
 * The operator a chat was offered to accepts it: the chat is theirs (its ticket
 * assigned to them, in progress) and the requester is told who they talk to.
 * An offer that expired or went to someone else meanwhile is a CONFLICT.
 */
export async function acceptLive({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<LiveChat> {
  const data = parseInput(liveChatIdSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  if (!isWorker(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "live.accept" });
  const { chat, ticket } = await ctx.db.transaction(async (tx) => {
    const loaded = await loadChatForChange(tx, data.chatId);
    if (loaded.chat.state !== "offered" || loaded.chat.offeredTo !== self)
      throw new DomainError("CONFLICT", { reason: "offer_gone" });
    return connect(tx, ctx, loaded, self);
  });
  ctx.notify.changed(changeEventOf("ticket.updated", ticket));
  return chat;
}

/**
 * Makes `operatorId` the chat's operator (accept, take over, transfer): the chat
 * active, its ticket assigned to them, their idle time reset, the requester told.
 */
export async function connect(tx: DbOrTx, ctx: ServiceContext, loaded: LoadedChat, operatorId: string) {
  const now = ctx.clock.now();
  const [chat] = await tx
    .update(liveChats)
    .set({
      state: "active",
      operatorId,
      offeredTo: null,
      offerExpiresAt: null,
      acceptedAt: loaded.chat.acceptedAt ?? now,
    })
    .where(eq(liveChats.id, loaded.chat.id))
    .returning();
  await cancelJob(tx, offerJobKey(chat.id));
  await tx.update(users).set({ liveIdleSince: now }).where(eq(users.id, operatorId));
  await touchPresence(tx, operatorId, now);
  const ticket =
    loaded.ticket.assigneeId === operatorId
      ? loaded.ticket
      : await applyAssignment(tx, ctx, loaded.ticket, operatorId, "live");
  const operator = await userById(tx, operatorId);
  const event = loaded.chat.state === "active" ? "transferred" : "connected";
  await recordLiveNotice(tx, ticket, loaded.requester, {
    event,
    chatId: chat.id,
    name: nameOf(operator ?? undefined),
  });
  return { chat, ticket };
}

/** The operator passes on an offer: it goes back to its place in the queue and on to the next operator. */
export async function declineLive({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<LiveChat> {
  const data = parseInput(liveChatIdSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  if (!isWorker(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "live.decline" });
  return ctx.db.transaction(async (tx) => {
    const { chat } = await loadChatForChange(tx, data.chatId);
    if (chat.state !== "offered" || chat.offeredTo !== self)
      throw new DomainError("CONFLICT", { reason: "offer_gone" });
    return requeue(tx, ctx, chat, self);
  });
}

/** Back to the queue (its queued time kept, so its place too), the operator remembered as having passed. */
async function requeue(tx: DbOrTx, ctx: ServiceContext, chat: LiveChat, operatorId: string) {
  const [row] = await tx
    .update(liveChats)
    .set({
      state: "queued",
      offeredTo: null,
      offerExpiresAt: null,
      passedBy: sql`array_append(${liveChats.passedBy}, ${operatorId}::uuid)`,
    })
    .where(and(eq(liveChats.id, chat.id), eq(liveChats.state, "offered")))
    .returning();
  await cancelJob(tx, offerJobKey(chat.id));
  await routeQueue(tx, ctx);
  // As routing left it: offered again to someone, or waiting.
  const [after] = await tx.select().from(liveChats).where(eq(liveChats.id, row.id));
  return after;
}

/**
 * The scheduler's live_offer_timeout job: an offer still unanswered at its expiry
 * goes to the next operator; the one who let it run out is told. An offer
 * accepted, declined or made again meanwhile is left alone.
 */
export async function liveOfferTimeout({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!isSystem(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "live.offer_timeout" });
  const data = parseInput(offerTimeoutJobSchema, input);
  return ctx.db.transaction(async (tx) => {
    const { chat, ticket } = await loadChatForChange(tx, data.chatId);
    const now = ctx.clock.now();
    if (chat.state !== "offered" || chat.offeredTo !== data.offeredTo) return null;
    if (chat.offerExpiresAt && chat.offerExpiresAt > now) return null;
    const operator = await userById(tx, data.offeredTo);
    if (operator) await recordLiveNotice(tx, ticket, operator, { event: "offer_expired", chatId: chat.id });
    return requeue(tx, ctx, chat, data.offeredTo);
  });
}
