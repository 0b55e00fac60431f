import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { attachments, notifications, staffThreads, tickets } from "../../../drizzle/schema/index.js";
import { loadNotificationFacts } from "./facts.js";

/**
 * What the Telegram deliverer (bot/delivery) reads and writes besides the Bot API:
 * a notification's facts, the earlier copy a follow-up acts on, where a ticket
 * lives in a staff chat, the ids Telegram gave messages and files. The deliverer
 * is an adapter of the outbox; this keeps its database work in the domain.
 */
export function createDeliveryStore(db: Db) {
  const threadOf = (ticketId: string, chatId: number) =>
    and(eq(staffThreads.ticketId, ticketId), eq(staffThreads.chatId, chatId));
  const upsertThread = (
    ticketId: string,
    chatId: number,
    set: { cardMessageId: number; cardDigest: string } | { messageThreadId: number },
  ) =>
    db
      .insert(staffThreads)
      .values({ ticketId, chatId, ...set })
      .onConflictDoUpdate({
        target: [staffThreads.ticketId, staffThreads.chatId],
        set: { ...set, updatedAt: sql`now()` },
      });

  return {
    facts: (n: Parameters<typeof loadNotificationFacts>[1]) => loadNotificationFacts(db, n),

    /** The Telegram id of an earlier row's text (an edit or an album's later files act on it). */
    async sentMessageIdOf(notificationId: string): Promise<number | null> {
      const [row] = await db
        .select({ id: notifications.sentMessageId })
        .from(notifications)
        .where(eq(notifications.id, notificationId));
      return row?.id ?? null;
    },

    /**
     * How an earlier row went out: its message id, and whether that message is
     * shared with other rows (a merged post) or none at all (summed up in a digest).
     */
    async copyOf(notificationId: string) {
      const [row] = await db
        .select({
          id: notifications.sentMessageId,
          carriedBy: notifications.carriedBy,
          batch: sql<string | null>`${notifications.payload}->>'batch'`,
        })
        .from(notifications)
        .where(eq(notifications.id, notificationId));
      if (!row) return null;
      const head = row.carriedBy
        ? (
            await db
              .select({ batch: sql<string | null>`${notifications.payload}->>'batch'` })
              .from(notifications)
              .where(eq(notifications.id, row.carriedBy))
          )[0]
        : row;
      return {
        sentMessageId: row.id,
        shared: head?.batch === "merged",
        digested: head?.batch === "digest",
      };
    },

    async staffThread(ticketId: string, chatId: number) {
      const [row] = await db.select().from(staffThreads).where(threadOf(ticketId, chatId));
      return row ?? null;
    },

    async rememberCard(ticketId: string, chatId: number, cardMessageId: number, cardDigest: string) {
      await upsertThread(ticketId, chatId, { cardMessageId, cardDigest });
    },

    /** The card was edited to show this (so the next change that shows the same makes no call). */
    async rememberCardDigest(ticketId: string, chatId: number, cardDigest: string): Promise<void> {
      await db
        .update(staffThreads)
        .set({ cardDigest, updatedAt: sql`now()` })
        .where(threadOf(ticketId, chatId));
    },

    async rememberTopic(ticketId: string, chatId: number, messageThreadId: number): Promise<void> {
      await upsertThread(ticketId, chatId, { messageThreadId });
    },

    async storedFileId(attachmentId: string): Promise<string | null> {
      const [row] = await db
        .select({ id: attachments.tgFileId })
        .from(attachments)
        .where(eq(attachments.id, attachmentId));
      return row?.id ?? null;
    },

    /** Number and title of tickets, for a digest of a chat's backlog. */
    async ticketTitles(ids: string[]): Promise<Map<string, { number: string; title: string }>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ id: tickets.id, number: tickets.number, title: tickets.title })
        .from(tickets)
        .where(inArray(tickets.id, ids));
      return new Map(rows.map((r) => [r.id, { number: r.number, title: r.title }]));
    },

    /** A picture Telegram would not take as a photo went as a document: it is one from now on. */
    async keepAsDocument(attachmentId: string): Promise<void> {
      await db.update(attachments).set({ kind: "document" }).where(eq(attachments.id, attachmentId));
    },

    /** The file_id Telegram gave an uploaded file: every later send uses it instead of the bytes. */
    async rememberFileId(attachmentId: string, fileId: string): Promise<void> {
      await db
        .update(attachments)
        .set({ tgFileId: fileId })
        .where(and(eq(attachments.id, attachmentId), isNull(attachments.tgFileId)));
    },
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
