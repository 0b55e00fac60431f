import { and, eq, inArray } from "drizzle-orm";
import { type LiveChat, liveChats, type Ticket, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { canAssignOthers, staffCoversBranch } from "../permissions.js";
import { cancelJob } from "../schedule/jobs.js";
import { applyStatus } from "../tickets/change-status.js";
import { changeEventOf } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { loadChatForChange, userById } from "./load.js";
import { recordLiveNotice } from "./notices.js";
import { nameOf, offerJobKey, routeQueue } from "./routing.js";
import { liveChatIdSchema } from "./schemas.js";

const FINISHED = ["resolved", "closed"];

/**
 * Either side ends an active chat (a supervisor of its scope may too). The ticket
 * is resolved, so the requester is asked for a rating as for any ticket, and the
 * thread goes on as a normal ticket if they write again. A requester ending a chat
 * still waiting leaves the queue instead (leaveLiveQueue). The operator's place
 * is free at once: the queue gets its turn.
 */
export async function endLive({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<LiveChat> {
  const data = parseInput(liveChatIdSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  const done = await ctx.db.transaction(async (tx) => {
    const { chat, ticket, requester } = await loadChatForChange(tx, data.chatId);
    const isRequester = chat.requesterId === self;
    const isOperator = chat.operatorId === self;
    const supervises = canAssignOthers(ctx.actor) && staffCoversBranch(ctx.actor, chat.branchId);
    if (!isRequester && !isOperator && !supervises)
      throw new DomainError("NOT_FOUND", { entity: "live_chat", id: chat.id });
    if (chat.state !== "active") {
      if (isRequester && (chat.state === "queued" || chat.state === "offered"))
        return abandon(ctx, tx, chat, ticket);
      throw new DomainError("CONFLICT", { reason: "chat_not_active" });
    }
    const now = ctx.clock.now();
    const [row] = await tx
      .update(liveChats)
      .set({ state: "ended", endedAt: now, endedBy: self })
      .where(and(eq(liveChats.id, chat.id), eq(liveChats.state, "active")))
      .returning();
    if (chat.operatorId)
      await tx.update(users).set({ liveIdleSince: now }).where(eq(users.id, chat.operatorId));
    const resolved = FINISHED.includes(ticket.status)
      ? ticket
      : await applyStatus(tx, ctx, ticket, "resolved", "live_ended");
    const operator = await userById(tx, chat.operatorId);
    // The requester who ended it hears it here (with the rating); otherwise the resolved notice asks them.
    if (isRequester)
      await recordLiveNotice(tx, resolved, requester, {
        event: "ended",
        chatId: chat.id,
        name: nameOf(operator ?? undefined),
      });
    if (operator && !isOperator)
      await recordLiveNotice(tx, resolved, operator, {
        event: "ended",
        chatId: chat.id,
        name: nameOf(requester),
      });
    await routeQueue(tx, ctx);
    return { chat: row, ticket: resolved };
  });
  ctx.notify.changed(changeEventOf("ticket.updated", done.ticket));
  return done.chat;
}

/** The requester leaves the queue: the chat is abandoned, its ticket closed, everyone behind moves up. */
export async function leaveLiveQueue({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<LiveChat> {
  const data = parseInput(liveChatIdSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  const done = await ctx.db.transaction(async (tx) => {
    const { chat, ticket } = await loadChatForChange(tx, data.chatId);
    if (chat.requesterId !== self) throw new DomainError("NOT_FOUND", { entity: "live_chat", id: chat.id });
    if (chat.state !== "queued" && chat.state !== "offered")
      throw new DomainError("CONFLICT", { reason: "chat_not_waiting" });
    return abandon(ctx, tx, chat, ticket);
  });
  ctx.notify.changed(changeEventOf("ticket.updated", done.ticket));
  return done.chat;
}

type Tx = Parameters<Parameters<ServiceContext["db"]["transaction"]>[0]>[0];

async function abandon(ctx: ServiceContext, tx: Tx, chat: LiveChat, ticket: Ticket) {
  const now = ctx.clock.now();
  const [row] = await tx
    .update(liveChats)
    .set({ state: "abandoned", endedAt: now, endedBy: ctx.actor.id, offeredTo: null, offerExpiresAt: null })
    .where(and(eq(liveChats.id, chat.id), inArray(liveChats.state, ["queued", "offered"])))
    .returning();
  if (!row) throw new DomainError("CONFLICT", { reason: "chat_not_waiting" });
  await cancelJob(tx, offerJobKey(chat.id));
  // The operator it was offered to is told it is gone (their buttons answer as stale anyway).
  const offered = await userById(tx, chat.state === "offered" ? chat.offeredTo : null);
  if (offered) await recordLiveNotice(tx, ticket, offered, { event: "offer_expired", chatId: chat.id });
  const closed = FINISHED.includes(ticket.status)
    ? ticket
    : await applyStatus(tx, ctx, ticket, "closed", "live_abandoned");
  await routeQueue(tx, ctx);
  return { chat: row, ticket: closed };
}
