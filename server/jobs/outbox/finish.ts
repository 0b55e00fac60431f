import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type Notification, notifications, users } from "../../../drizzle/schema/index.js";
import { DeliveryError, type DeliveryResult } from "../../domain/delivery/port.js";

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

export async function markSent(db: Db, row: Notification, result: DeliveryResult): Promise<void> {
  await db
    .update(notifications)
    .set({ state: "sent", sentAt: sql`now()`, sentMessageId: result.sentMessageId, lastError: null })
    .where(eq(notifications.id, row.id));
}

/**
 * Records what a failed delivery means (SPEC §6): 429 waits retry_after and does
 * not count as an attempt; 5xx and timeouts back off; 403 marks the user as having
 * blocked the bot and stops everything queued for that chat; 400 is dropped, and
 * so is a send the ledger is in doubt about (failed, for an admin to look at).
 * Returns how long the chat should rest (429), for the rate limiter.
 */
export async function markFailed(
  db: Db,
  row: Notification,
  err: unknown,
  /** Tells the domain a person blocked the bot (flag + staff notices); see markBotBlocked. */
  onBlocked?: (telegramId: number) => Promise<void>,
): Promise<number> {
  const kind = err instanceof DeliveryError ? err.kind : "transient";
  const where = eq(notifications.id, row.id);
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
    return waitMs;
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
    return 0;
  }
  // In doubt: the ledger could not tell whether a send arrived; an admin decides (retry).
  if (kind === "bad_request" || kind === "in_doubt" || row.attempts >= MAX_TRANSIENT_ATTEMPTS) {
    await db
      .update(notifications)
      .set({ state: "failed", lastError: short(err) })
      .where(where);
    return 0;
  }
  await db
    .update(notifications)
    .set({ state: "pending", nextAttemptAt: later(backoffMs(row.attempts)), lastError: short(err) })
    .where(where);
  return 0;
}
