import { eq, sql } from "drizzle-orm";
import { liveChats, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { canSeeTicket } from "../permissions.js";
import { takeToken } from "../rate-limits/take.js";
import { parseInput } from "../validate.js";
import { liveChatIdSchema } from "./schemas.js";

/**
 * At most one "typing…" per side of a chat in this many seconds is passed on. The
 * Mini App sends one every 4 s while someone types; the server's gap is a little
 * shorter so that jitter between two of those never drops a real one, and still
 * keeps a misbehaving client from spending the bot's calls.
 */
export const TYPING_GAP_S = 3;

export interface LiveTypingResult {
  /** False when there was nobody to show it to (no operator yet) or it came too soon after the last. */
  shown: boolean;
}

/**
 * One side of an active live chat is typing in the Mini App: the other side sees
 * "typing…" in their private chat with the bot (the TypingIndicator port) and in
 * their Mini App view (a `live.typing` change event, not stored). Only the chat's
 * requester and its operator signal; others who can see it are FORBIDDEN, others
 * NOT_FOUND. Throttled per chat and side in the shared rate buckets, so several
 * instances keep one pace.
 */
export async function signalLiveTyping({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<LiveTypingResult> {
  const { chatId } = parseInput(liveChatIdSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  const [chat] = await ctx.db
    .select({
      state: liveChats.state,
      ticketId: liveChats.ticketId,
      branchId: liveChats.branchId,
      requesterId: liveChats.requesterId,
      operatorId: liveChats.operatorId,
      requesterChat: sql<
        number | null
      >`(select telegram_id from ${users} r where r.id = ${liveChats.requesterId})`,
      operatorChat: sql<
        number | null
      >`(select telegram_id from ${users} o where o.id = ${liveChats.operatorId})`,
    })
    .from(liveChats)
    .where(eq(liveChats.id, chatId));
  if (!chat || !canSeeTicket(ctx.actor, chat))
    throw new DomainError("NOT_FOUND", { entity: "live_chat", id: chatId });
  const asRequester = chat.requesterId === self;
  if (!asRequester && chat.operatorId !== self) throw new DomainError("FORBIDDEN", { action: "live.typing" });
  // Waiting, offered or over: there is nobody on the other side to show it to.
  if (chat.state !== "active" || !chat.operatorId) return { shown: false };
  const take = await takeToken(ctx.db, `live_typing:${chatId}:${self}`, {
    perMinute: 60 / TYPING_GAP_S,
    burst: 1,
  });
  if (!take.granted) return { shown: false };
  const other = asRequester ? chat.operatorChat : chat.requesterChat;
  if (other !== null) ctx.typing?.show(Number(other));
  ctx.notify.changed({
    type: "live.typing",
    ticketId: chat.ticketId,
    branchId: chat.branchId,
    requesterId: chat.requesterId,
    assigneeId: chat.operatorId,
    by: self,
  });
  return { shown: true };
}
