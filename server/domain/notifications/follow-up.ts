import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { notifications } from "../../../drizzle/schema/index.js";

/**
 * A row that is a message's own copy, not an edit or album part that follows it
 * up, nor the "Added to T-…" answer to its author (it points at the message but
 * carries none of it: an edit or a later album file changes nothing in it).
 */
const isOriginalRow = sql`not (${notifications.payload} ? 'editOf') and not (${notifications.payload} ? 'albumOf') and ${notifications.type} <> 'received'`;

/**
 * Queues a follow-up for everyone who was sent (or will be sent) a message: an
 * edit of their copy, or the later files of an album. Each follow-up row points
 * at the original row (`<kind>Of`), so the deliverer can act on that copy, and
 * only original rows are followed up, never earlier follow-ups.
 */
export async function queueFollowUps(
  tx: DbOrTx,
  messageId: string,
  follow: {
    kind: "edit" | "album";
    key: string;
    payload: Record<string, unknown>;
    /** Only copies already sent (an edit acts on a message that exists). */
    deliveredOnly: boolean;
    /** Leave out rows still waiting: they took the change themselves (joinWaitingAlbum). */
    claimedOnly?: boolean;
  },
): Promise<void> {
  const originals = await tx
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.messageId, messageId),
        isOriginalRow,
        follow.deliveredOnly
          ? and(eq(notifications.state, "sent"), isNotNull(notifications.sentMessageId))
          : undefined,
        follow.claimedOnly ? ne(notifications.state, "pending") : undefined,
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

/**
 * Telegram delivers an album as one message per file, a moment apart. The rows of
 * an album's first part wait this long before they may be claimed, so the later
 * parts can join them and the album goes out as one media group.
 */
export const ALBUM_WAIT_SECONDS = 1.5;

export async function holdForAlbum(tx: DbOrTx, messageId: string): Promise<void> {
  await tx
    .update(notifications)
    .set({ nextAttemptAt: sql`now() + make_interval(secs => ${ALBUM_WAIT_SECONDS})` })
    .where(and(eq(notifications.messageId, messageId), eq(notifications.state, "pending")));
}

/**
 * A later part of an album joins the rows of its first part that nobody has
 * claimed yet: they send it in the same media group. Rows claimed or sent by now
 * get a follow-up instead (queueFollowUps with claimedOnly). A claim racing this
 * update waits for it or is waited for (row locks), so each row takes the files
 * exactly one way.
 */
export async function joinWaitingAlbum(tx: DbOrTx, messageId: string, fileIds: string[]): Promise<void> {
  await tx
    .update(notifications)
    .set({
      payload: sql`jsonb_set(${notifications.payload}, '{change,fileIds}',
        coalesce(${notifications.payload} -> 'change' -> 'fileIds', '[]'::jsonb) || ${JSON.stringify(fileIds)}::jsonb)`,
    })
    .where(and(eq(notifications.messageId, messageId), eq(notifications.state, "pending"), isOriginalRow));
}
