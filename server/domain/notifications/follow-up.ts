import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { notifications } from "../../../drizzle/schema/index.js";

/**
 * Queues a follow-up for everyone who was sent (or will be sent) a message: an
 * edit of their copy, or the later files of an album. Each follow-up row points
 * at the original row (`<kind>Of`), so the deliverer can act on that copy, and
 * only original rows are followed up, never earlier follow-ups.
 */
export async function queueFollowUps(
  tx: DbOrTx,
  messageId: string,
  follow: { kind: "edit" | "album"; key: string; payload: Record<string, unknown>; deliveredOnly: boolean },
): Promise<void> {
  const originals = await tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.messageId, messageId),
        sql`not (${notifications.payload} ? 'editOf') and not (${notifications.payload} ? 'albumOf')`,
        follow.deliveredOnly
          ? and(eq(notifications.state, "sent"), isNotNull(notifications.sentMessageId))
          : undefined,
      ),
    );
  if (originals.length === 0) return;
  await tx
    .insert(notifications)
    .values(
      originals.map((c) => ({
        recipientId: c.recipientId,
        chatId: c.chatId,
        ticketId: c.ticketId,
        messageId: c.messageId,
        type: c.type,
        payload: { ...c.payload, ...follow.payload, [`${follow.kind}Of`]: c.id },
        state: c.state === "skipped" ? ("skipped" as const) : ("pending" as const),
        idempotencyKey: `${c.id}:${follow.kind}:${follow.key}`.slice(0, 500),
      })),
    )
    .onConflictDoNothing();
}
