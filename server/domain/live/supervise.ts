import type { LiveChat } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { canAssignOthers, isWorker, staffCoversBranch } from "../permissions.js";
import { changeEventOf } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { connect } from "./answer.js";
import { loadChatForChange, userById } from "./load.js";
import { recordLiveNotice } from "./notices.js";
import { nameOf, routeQueue } from "./routing.js";
import { liveChatIdSchema, transferLiveSchema } from "./schemas.js";

/**
 * Hands a live chat to another operator. Supervisors (moderators and admins of
 * its scope) move any chat, waiting or active; an operator may hand on their own
 * active chat. The new operator must work the chat's scope (applyAssignment
 * checks); both operators and the requester are told.
 */
export async function transferLive({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<LiveChat> {
  const data = parseInput(transferLiveSchema, input);
  return moveChat(ctx, data.chatId, data.operatorId);
}

/** A supervisor takes a chat over: it becomes theirs, whoever had it. */
export async function takeOverLive({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<LiveChat> {
  const data = parseInput(liveChatIdSchema, input);
  if (!ctx.actor.id) throw new DomainError("UNAUTHENTICATED");
  if (!canAssignOthers(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "live.take_over" });
  return moveChat(ctx, data.chatId, ctx.actor.id);
}

async function moveChat(ctx: ServiceContext, chatId: string, operatorId: string): Promise<LiveChat> {
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  if (!isWorker(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "live.transfer" });
  const done = await ctx.db.transaction(async (tx) => {
    const loaded = await loadChatForChange(tx, chatId);
    const { chat } = loaded;
    if (!staffCoversBranch(ctx.actor, chat.branchId))
      throw new DomainError("NOT_FOUND", { entity: "live_chat", id: chatId });
    const supervises = canAssignOthers(ctx.actor);
    if (!supervises && !(chat.operatorId === self && chat.state === "active"))
      throw new DomainError("FORBIDDEN", { action: "live.transfer" });
    if (chat.state === "ended" || chat.state === "abandoned")
      throw new DomainError("CONFLICT", { reason: "chat_finished" });
    if (chat.operatorId === operatorId && chat.state === "active")
      throw new DomainError("CONFLICT", { reason: "already_assigned" });
    const before = await userById(tx, chat.operatorId ?? chat.offeredTo);
    const moved = await connect(tx, ctx, loaded, operatorId);
    const after = await userById(tx, operatorId);
    if (after && after.id !== self)
      await recordLiveNotice(tx, moved.ticket, after, {
        event: "transferred_in",
        chatId,
        name: nameOf(loaded.requester),
      });
    if (before && before.id !== self && before.id !== operatorId)
      await recordLiveNotice(tx, moved.ticket, before, {
        event: "transferred_out",
        chatId,
        name: nameOf(after ?? undefined),
      });
    // A chat taken from the queue moves everyone behind it up.
    if (chat.state !== "active") await routeQueue(tx, ctx);
    return moved;
  });
  ctx.notify.changed(changeEventOf("ticket.updated", done.ticket));
  return done.chat;
}
