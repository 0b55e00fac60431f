import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { type Notification, notifications } from "../../../drizzle/schema/index.js";
import type { Deliverer } from "../../domain/delivery/port.js";
import { withSender } from "../../domain/delivery/send-scope.js";
import type { Logger } from "../../logger.js";
import { claimDue, releaseClaim, type UnconfirmedClaim } from "./claim.js";
import { markFailed, markSent } from "./finish.js";
import { createLedgerSender, type LedgerOptions } from "./ledger.js";
import { recordOutcome } from "./outcome.js";
import { createRateLimiter, type RateLimits, type Slot, TELEGRAM_LIMITS } from "./rate-limiter.js";

export interface OutboxWorkerOptions {
  db: Db;
  deliver: Deliverer;
  logger: Logger;
  limits?: RateLimits;
  /** How long a claimed row may stay in "sending" before another worker retries it. */
  leaseMs?: number;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Longest sleep when there is nothing to do (a wake() call cuts it short). */
  idleMs?: number;
  /** Called when Telegram says a recipient blocked the bot (403). */
  onBlocked?: (telegramId: number) => Promise<void>;
  /** The send ledger's settings (and the crash test's hook). */
  ledger?: LedgerOptions;
}

/**
 * Sends the outbox. Each round claims due rows (head of each chat only), keeps
 * the ones the rate limiter lets through and puts the others off until their
 * chat has room, marks the kept ones "sending" with a lease, commits, then calls
 * Telegram and records each outcome. Each delivery sends through a send ledger
 * (ledger.ts): a row taken again after a crash replays what Telegram already
 * answered and asks Telegram about the send whose answer was lost, so a private
 * chat gets each message once (docs/NOTIFICATIONS.md, "The guarantee").
 */
export function createOutboxWorker(opts: OutboxWorkerOptions) {
  const { db, deliver, logger } = opts;
  const limiter = createRateLimiter(opts.limits ?? TELEGRAM_LIMITS);
  const leaseMs = opts.leaseMs ?? 60_000;
  const batchSize = opts.batchSize ?? 30;
  const idleMs = opts.idleMs ?? 1000;
  let running = false;
  /** Set by stop(): a write that failed is not tried again then (drainOnce also runs without start). */
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let rounds = 0;
  const slots = new Map<string, Slot>();
  const settle = (id: string) => {
    slots.get(id)?.settle();
    slots.delete(id);
  };

  /** Rows to send now, and how soon a row put off by the limiter becomes due. */
  async function claimRound(): Promise<{ rows: Notification[]; soonestMs: number }> {
    const limits = opts.limits ?? TELEGRAM_LIMITS;
    const taken: string[] = [];
    let marked: UnconfirmedClaim | null = null;
    return db
      .transaction(async (tx) => {
        const { rows: due, full } = await claimDue(tx as unknown as Db, batchSize, limits);
        const kept: Notification[] = [];
        // The bot-wide window is full (other instances count too): look again within it.
        let soonestMs = full ? Math.max(5, limits.global.windowMs / 4) : Number.POSITIVE_INFINITY;
        for (const row of due) {
          const calls = callsOf(row);
          const until = Math.max(limiter.chatWaitMs(row.chatId, calls), limiter.globalWaitMs(calls));
          if (until > 0) {
            soonestMs = Math.min(soonestMs, until);
            await tx
              .update(notifications)
              .set({ nextAttemptAt: sql`now() + (${until} * interval '1 millisecond')` })
              .where(eq(notifications.id, row.id));
            continue;
          }
          slots.set(row.id, limiter.take(row.chatId, calls));
          taken.push(row.id);
          kept.push(row);
        }
        if (kept.length > 0) {
          const ids = kept.map((r) => r.id);
          const [claimed] = await tx
            .update(notifications)
            .set({
              state: "sending",
              attempts: sql`${notifications.attempts} + 1`,
              nextAttemptAt: sql`now() + (${leaseMs} * interval '1 millisecond')`,
            })
            .where(inArray(notifications.id, ids))
            .returning({ leaseEnd: sql<string>`${notifications.nextAttemptAt}::text` });
          marked = { ids, leaseEnd: claimed.leaseEnd };
        }
        return { rows: kept.map((r) => ({ ...r, attempts: r.attempts + 1 })), soonestMs };
      })
      .catch((err) => {
        // Nothing was delivered: give the rate limiter its places back.
        for (const id of taken) settle(id);
        // The connection may have dropped after PostgreSQL committed the claim but
        // before it said so: then these rows are "sending" under a lease no one
        // delivers; the next round releases them (releaseClaim), or they would
        // wait out the lease (60 s) and hold up their chats.
        if (marked) unconfirmed.push(marked);
        throw err;
      });
  }

  /** Claims that may have committed although their round failed (see claimRound). */
  const unconfirmed: UnconfirmedClaim[] = [];
  async function releaseUnconfirmed(): Promise<void> {
    while (unconfirmed.length > 0) {
      await releaseClaim(db, unconfirmed[0]);
      unconfirmed.shift();
    }
  }

  /**
   * Delivers one claimed row and records the outcome. Never rejects. Only a
   * failure of the delivery itself is a failed delivery: a database error while
   * recording Telegram's answer is retried (recordOutcome), not taken for a
   * failed send, which would send the message again.
   */
  async function send(row: Notification, leaseEnd: number): Promise<void> {
    let write: () => Promise<void>;
    try {
      const sender = createLedgerSender(db, row, opts.ledger);
      const result = await withSender(sender, () => deliver(row)).finally(() => settle(row.id));
      write = () => markSent(db, row, result);
    } catch (err) {
      logger.warn(
        { err, notificationId: row.id, chatId: row.chatId, attempts: row.attempts },
        "delivery failed",
      );
      write = async () => {
        const restMs = await markFailed(db, row, err, opts.onBlocked);
        if (restMs > 0) limiter.pause(row.chatId, restMs);
      };
    }
    await recordOutcome(write, {
      until: leaseEnd,
      keepTrying: () => !stopping,
      logger,
      notificationId: row.id,
    });
  }

  let soonest = Number.POSITIVE_INFINITY;

  /** One claim-and-send round; returns how many rows it sent or tried. */
  async function drainOnce(): Promise<number> {
    await releaseUnconfirmed();
    const { rows, soonestMs } = await claimRound();
    soonest = soonestMs;
    // Measured from after the claim's commit, so it ends no earlier than the lease the
    // database counts; recording stops trying a little before that.
    const leaseEnd = Date.now() + leaseMs * 0.9;
    await Promise.all(rows.map((row) => send(row, leaseEnd)));
    if (++rounds % 100 === 0) limiter.sweep();
    return rows.length;
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const wait = limiter.globalWaitMs();
        if (wait > 0) await sleep(wait);
        const n = await drainOnce();
        failures = 0;
        if (n === 0) await sleep(Math.min(idleMs, soonest));
      } catch (err) {
        // The database went away or a query failed: keep the process alive and retry.
        failures++;
        logger.error({ err }, "outbox round failed");
        await sleep(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      }
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loop = run();
    },
    async stop() {
      running = false;
      stopping = true;
      wakeUp?.();
      await loop;
    },
    /** A change was committed: look at the outbox now instead of after the idle sleep. */
    wake() {
      wakeUp?.();
    },
    drainOnce,
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

/**
 * The Bot API calls a row makes, as the limiter counts them: its text, then each
 * of its files; an album's later files alone; an edit one call. (A new topic or
 * card in a staff chat is one more, not counted.)
 */
function callsOf(row: Notification): number {
  const p = row.payload as {
    editOf?: string;
    albumFiles?: string[];
    change?: { kind?: string; fileIds?: string[] };
  };
  if (p.editOf) return 1;
  if (p.albumFiles) return Math.max(1, p.albumFiles.length);
  // A message's files, and a new ticket's (they follow its card), at most one call each.
  return (
    1 + (p.change?.kind === "message" || p.change?.kind === "created" ? (p.change.fileIds?.length ?? 0) : 0)
  );
}
