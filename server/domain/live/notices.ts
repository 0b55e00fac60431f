import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { notifications, type User } from "../../../drizzle/schema/index.js";
import type { TicketChange } from "../notifications/rules.js";

type LiveChange = Extract<TicketChange, { kind: "live" }>;
type Reader = Pick<User, "id" | "telegramId" | "botBlocked" | "isActive">;

/**
 * Writes one live chat notice to one person's private chat, in the change's
 * transaction (the outbox sends it: durable, within Telegram's limits). `editOf`
 * names an earlier notice whose message is edited instead of a new one posted:
 * the requester's queue position is one message that changes in place, not a
 * flood. Returns the row's id (the first position notice is remembered).
 *
 * Every notice but the queue's position is part of the conversation (an offer,
 * "connected", the end) and rides the outbox's live lane like a relay (0024):
 * a relay in the same private chat waits behind it, so a notice left in the
 * ordinary lane behind hundreds of position edits held the relay for seconds.
 */
export async function recordLiveNotice(
  tx: DbOrTx,
  ticket: { id: string; number: string },
  reader: Reader,
  change: Omit<LiveChange, "kind">,
  editOf?: string | null,
): Promise<string | null> {
  if (!reader.isActive) return null;
  const payload: Record<string, unknown> = {
    change: { kind: "live", ...change } satisfies LiveChange,
    ticketNumber: ticket.number,
    ...(editOf ? { editOf } : {}),
    ...(QUEUE_EVENTS.has(change.event) ? {} : { live: true }),
  };
  const [row] = await tx
    .insert(notifications)
    .values({
      ticketId: ticket.id,
      recipientId: reader.id,
      chatId: reader.telegramId,
      type: "system",
      payload,
      state: reader.botBlocked ? "skipped" : "pending",
      lastError: reader.botBlocked ? "bot_blocked" : null,
      // Each notice is written once by its change's transaction; a rollback takes it back.
      idempotencyKey: `live:${change.chatId}:${change.event}:${randomUUID()}`,
    })
    .returning({ id: notifications.id });
  return row?.id ?? null;
}

/** The notices of a chat still waiting: low priority, outdated by the next one. */
const QUEUE_EVENTS = new Set<string>(["queued", "position"]);

/**
 * A chat left the queue (offered): its position edits not yet sent are out of
 * date and would only hold up the conversation's first notices in that private
 * chat (one message a second), so they are dropped: never sent, they are
 * nobody's record. Returns how many, so the caller can make the position told
 * again if the chat comes back to the queue.
 */
export async function skipPendingPositions(tx: DbOrTx, chatId: string, telegramId: number): Promise<number> {
  const skipped = await tx
    .delete(notifications)
    .where(
      and(
        eq(notifications.chatId, telegramId),
        eq(notifications.state, "pending"),
        sql`${notifications.payload}->'change'->>'chatId' = ${chatId}`,
        sql`${notifications.payload}->'change'->>'event' = 'position'`,
      ),
    )
    .returning({ id: notifications.id });
  return skipped.length;
}
