import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../drizzle/client.js";
import { type Notification, notifications, users } from "../../../drizzle/schema/index.js";
import { pauseChat, settleReservation } from "../../domain/delivery/budget.js";
import { DeliveryError, type DeliveryResult } from "../../domain/delivery/port.js";
import type { DeliveryOutcome } from "../../domain/metrics-port.js";
import { partlyOut } from "./ledger.js";

/** Give up on a row after this many transient failures (it shows in the failed list). */
export const MAX_TRANSIENT_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 5 * 60_000;

/** Exponential backoff with a cap and ±20 % jitter, so a Telegram outage is not hammered. */
export function backoffMs(attempts: number, random = Math.random): number {
  const raw = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + random() * 0.4));
}

const later = (ms: number) => sql`now() + (${Math.max(0, Math.round(ms))} * interval '1 millisecond')`;
const short = (e: unknown) => String(e instanceof Error ? e.message : e).slice(0, 500);

/** The post a round made: its row, the rows it carried, and its reservation in the budget. */
export interface FinishedPost {
  head: Notification;
  /** How the carried rows read the post: merged (their own message) or a digest (a summary). */
  kind: "single" | "merged" | "digest";
  reservation: number;
  /** Calls the claim reserved that the delivery did not make: given back to the windows. */
  unusedCalls?: number;
}

/**
 * The post is out: its row and every row it carried are sent (a merged row maps
 * to the post, so a reply to it finds the ticket; a digested one maps to none),
 * the reservation is dated by Telegram's answer and the chat is due again. Each
 * statement sets states, so the retried write (recordOutcome) is the same write.
 */
export async function markSent(
  db: Db,
  post: FinishedPost,
  result: DeliveryResult,
  /** When Telegram answered the delivery's last call (performance.now()): its place is dated by it. */
  answeredAt?: number,
): Promise<void> {
  const { head } = post;
  await db.transaction(async (tx) => {
    await tx
      .update(notifications)
      .set({ state: "sent", sentAt: sql`now()`, sentMessageId: result.sentMessageId, lastError: null })
      .where(eq(notifications.id, head.id));
    if (post.kind !== "single")
      await tx
        .update(notifications)
        .set({
          state: "sent",
          sentAt: sql`now()`,
          sentMessageId: post.kind === "merged" ? result.sentMessageId : null,
          lastError: null,
        })
        .where(
          and(eq(notifications.carriedBy, head.id), inArray(notifications.state, ["pending", "sending"])),
        );
    await settleReservation(tx, post.reservation, answeredAt, post.unusedCalls);
    await chatDueIn(tx, head.chatId, 0);
  });
}

/**
 * The chat is looked at again after `ms` (the claim checks its window and head
 * then). "Now" means as of its next row's age: the claim takes private chats by
 * due time, so the message that has waited longest goes first.
 */
export async function chatDueIn(db: DbOrTx, chatId: number, ms: number) {
  const due =
    ms > 0
      ? sql`now() + (${Math.round(ms)} * interval '1 millisecond')`
      : sql`least(now(), coalesce((select n.created_at from notifications n
          where n.chat_id = ${chatId} and n.state in ('pending', 'sending') and n.carried_by is null
          order by n.seq limit 1), now()))`;
  await db.execute(
    sql`update delivery_chats set due_at = ${due}, idle_since = null where chat_id = ${chatId}`,
  );
}

/**
 * Records what a failed delivery means (SPEC §6): 429 waits retry_after and does
 * not count as an attempt; 5xx and timeouts back off; 403 marks the user as having
 * blocked the bot and stops everything queued for that chat; 400 is dropped, and
 * so is a send the ledger is in doubt about (failed, for an admin to look at).
 * A 429 also pauses the chat in the shared budget for as long. Answers what it
 * made of the failure (the deliveries metric).
 */
export async function markFailed(
  db: Db,
  post: FinishedPost,
  err: unknown,
  /** Tells the domain a person blocked the bot (flag + staff notices); see markBotBlocked. */
  onBlocked?: (telegramId: number) => Promise<void>,
): Promise<Exclude<DeliveryOutcome, "sent">> {
  const row = post.head;
  const kind = err instanceof DeliveryError ? err.kind : "transient";
  const where = eq(notifications.id, row.id);
  // The calls it made (or was refused) count from now; the chat's next look follows the outcome.
  await settleReservation(db, post.reservation, undefined, post.unusedCalls);
  if (kind === "rate_limited") {
    const waitMs = ((err as DeliveryError).retryAfterS ?? 1) * 1000;
    await db
      .update(notifications)
      .set({
        state: "pending",
        attempts: sql`greatest(${notifications.attempts} - 1, 0)`,
        nextAttemptAt: later(waitMs),
        lastError: short(err),
      })
      .where(where);
    // Nothing goes to that chat before then, from any instance.
    await pauseChat(db, row.chatId, waitMs);
    await chatDueIn(db, row.chatId, waitMs);
    return "rate_limited";
  }
  if (kind === "blocked") {
    // First through the domain, so staff hear of it; the flag is set below in any case.
    if (row.recipientId && onBlocked) await onBlocked(row.chatId).catch(() => {});
    await db.transaction(async (tx) => {
      if (row.recipientId)
        await tx.update(users).set({ botBlocked: true }).where(eq(users.id, row.recipientId));
      // Everything still queued for this chat would fail the same way.
      await tx
        .update(notifications)
        .set({ state: row.recipientId ? "skipped" : "failed", lastError: short(err) })
        .where(
          and(eq(notifications.chatId, row.chatId), inArray(notifications.state, ["pending", "sending"])),
        );
    });
    await chatDueIn(db, row.chatId, 0);
    return "blocked";
  }
  // In doubt: the ledger could not tell whether a send arrived; an admin decides (retry).
  if (kind === "bad_request" || kind === "in_doubt" || row.attempts >= MAX_TRANSIENT_ATTEMPTS) {
    await db.transaction(async (tx) => {
      await tx
        .update(notifications)
        .set({ state: "failed", lastError: short(err) })
        .where(where);
      const carried = and(
        eq(notifications.carriedBy, row.id),
        inArray(notifications.state, ["pending", "sending"]),
      );
      if (post.kind === "merged" && (await partlyOut(tx, row.id)))
        // Part of the post reached the chat, or may have (its text, say, before a file
        // was refused): the rows it carried were shown there. Sent again on their own,
        // they would be shown twice; they fail with it, still tied to it, and an admin's
        // retry of any of them sends the rest of the post (retryNotification). A digest
        // only counted its rows: they go their own way, as below.
        await tx
          .update(notifications)
          .set({
            state: "failed",
            lastError: `carried by ${row.id}, which failed: ${short(err)}`.slice(0, 500),
          })
          .where(carried);
      // Nothing of it went out: the rows it carried go their own way, in their turn.
      else await tx.update(notifications).set({ carriedBy: null }).where(carried);
    });
    await chatDueIn(db, row.chatId, 0);
    return "failed";
  }
  const waitMs = backoffMs(row.attempts);
  await db
    .update(notifications)
    .set({ state: "pending", nextAttemptAt: later(waitMs), lastError: short(err) })
    .where(where);
  await chatDueIn(db, row.chatId, waitMs);
  return "retried";
}
