import { randomUUID } from "node:crypto";
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
