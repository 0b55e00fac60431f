import type { Db } from "../../../drizzle/client.js";
import {
  type RateLimits,
  settleReservation,
  sweepCalls,
  TELEGRAM_LIMITS,
} from "../../domain/delivery/budget.js";
import type { Deliverer } from "../../domain/delivery/port.js";
import { type Prepaid, unusedOf, withPrepaidCalls } from "../../domain/delivery/prepaid.js";
import { withSender } from "../../domain/delivery/send-scope.js";
import type { DeliveryOutcome, MetricsPort } from "../../domain/metrics-port.js";
import type { Logger } from "../../logger.js";
import { type ClaimedPost, claimDue, releaseClaim, reviveIdleChats, type UnconfirmedClaim } from "./claim.js";
import { gatherDigest } from "./digest-rows.js";
import { markFailed, markSent } from "./finish.js";
import { createLedgerSender, type LedgerOptions } from "./ledger.js";
import { recordOutcome } from "./outcome.js";

export interface OutboxWorkerOptions {
  db: Db;
  /** Where claims run (DbHandle.claimDb: a connection of their own on PostgreSQL); `db` if not given. */
  claimDb?: Db;
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
  /** Told how long each claim took and how many posts it returned (bench:notify measures claims with it). */
  onClaim?: (ms: number, posts: number) => void;
  /** Counts each post's outcome (GET /metrics). */
  metrics?: MetricsPort;
}

/**
 * Sends the outbox. Each round claims due posts (claim.ts: one per chat that is
 * due and has room in Telegram's windows, the calls reserved in the shared
 * budget), commits, then calls Telegram and records each outcome. A post carries
 * its row, or merged rows of one ticket, or a digest (batch.ts). Each delivery
 * sends through a send ledger (ledger.ts): a post taken again after a crash
 * replays what Telegram already answered and asks Telegram about the send whose
 * answer was lost, so a private chat gets each message once
 * (docs/NOTIFICATIONS.md, "The guarantee").
 */
export function createOutboxWorker(opts: OutboxWorkerOptions) {
  const { db, deliver, logger } = opts;
  const limits = opts.limits ?? TELEGRAM_LIMITS;
  const leaseMs = opts.leaseMs ?? 60_000;
  const batchSize = opts.batchSize ?? 30;
  const idleMs = opts.idleMs ?? 1000;
  let running = false;
  /** Set by stop(): a write that failed is not tried again then (drainOnce also runs without start). */
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  /**
   * A change committed while a round was running (no sleep to cut short): the
   * next sleep is skipped, so a live chat's relay queued mid-round is claimed
   * at once instead of after the idle time (it was, before: up to `idleMs` late).
   */
  let wakePending = false;
  let lastUpkeep = 0;

  /** Posts to make now, and how soon the next chat is due. */
  async function claimRound(limit: number): Promise<{ posts: ClaimedPost[]; soonestMs: number }> {
    let marked: UnconfirmedClaim | null = null;
    const started = performance.now();
    return (opts.claimDb ?? db)
      .transaction(async (tx) => {
        const claim = await claimDue(tx as unknown as Db, limit, limits, leaseMs);
        if (claim.leaseEnd) marked = { ids: claim.posts.map((p) => p.head.id), leaseEnd: claim.leaseEnd };
        return {
          posts: claim.posts.map((p) => ({ ...p, head: { ...p.head, attempts: p.head.attempts + 1 } })),
          soonestMs: claim.soonestMs,
        };
      })
      .then((round) => {
        opts.onClaim?.(performance.now() - started, round.posts.length);
        return round;
      })
      .catch((err) => {
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
   * Delivers one claimed post and records the outcome. Never rejects. Only a
   * failure of the delivery itself is a failed delivery: a database error while
   * recording Telegram's answer is retried (recordOutcome), not taken for a
   * failed send, which would send the message again.
   */
  async function send(post: ClaimedPost, leaseEnd: number): Promise<void> {
    const { head } = post;
    let write: () => Promise<void>;
    let outcome: DeliveryOutcome = "sent";
    // Claimed ahead of its place in the bot-wide window (claim.ts): prepared now, its
    // calls made when the place is free (the Bot API seam waits: untilPrepaidPlace).
    const notBefore = performance.now() + post.notBeforeMs;
    // The Bot API seam spends these as it calls (an album's items each); what is left was never called.
    const prepaid: Prepaid = {
      chatId: head.chatId,
      calls: post.calls,
      settle: () => settleReservation(db, post.reservation),
      notBefore,
    };
    const finished = () => ({ ...post, unusedCalls: unusedOf(prepaid) });
    try {
      const sender = createLedgerSender(db, head, opts.ledger);
      const carried = post.kind === "digest" ? await gatherDigest(db, head) : post.carried;
      const batch = post.kind === "single" ? undefined : { kind: post.kind, carried };
      const result = await withPrepaidCalls(prepaid, () => withSender(sender, () => deliver(head, batch)));
      write = () => markSent(db, finished(), result, sender.answeredAt);
    } catch (err) {
      logger.warn(
        { err, notificationId: head.id, chatId: head.chatId, attempts: head.attempts },
        "delivery failed",
      );
      write = async () => {
        outcome = await markFailed(db, finished(), err, opts.onBlocked);
      };
    }
    await recordOutcome(write, {
      until: leaseEnd,
      keepTrying: () => !stopping,
      logger,
      notificationId: head.id,
    });
    opts.metrics?.delivery(outcome);
  }

  /** Every few seconds: chats gone idle in the same instant a row came, and old budget entries. */
  async function upkeep(): Promise<void> {
    if (Date.now() - lastUpkeep < 5000) return;
    lastUpkeep = Date.now();
    await reviveIdleChats(db);
    await sweepCalls(db, limits);
  }

  let soonest = Number.POSITIVE_INFINITY;

  /** Posts being sent by the running loop: it claims more while they are in flight. */
  const inFlight = new Set<Promise<void>>();
  const headsInFlight = new Set<string>();

  /**
   * The running loop's round (-1: it waited for a post in flight instead): claims
   * up to the room left beside the posts still in flight and starts sending them
   * without waiting for the others, so a slow answer from Telegram does not hold
   * the next posts back. A chat with a post in flight is not due (claim.ts), so
   * each chat's order holds.
   */
  async function pump(): Promise<number> {
    // What was committed before this round's claim is seen by it.
    wakePending = false;
    await releaseUnconfirmed();
    await upkeep();
    const room = batchSize - inFlight.size;
    if (room <= 0) {
      // Every place is taken: the next round waits for a post to finish, not a timer.
      await Promise.race(inFlight);
      return -1;
    }
    const { posts, soonestMs } = await claimRound(room);
    soonest = soonestMs;
    // Measured from after the claim's commit, so it ends no earlier than the lease the
    // database counts; recording stops trying a little before that.
    const leaseEnd = Date.now() + leaseMs * 0.9;
    for (const post of posts) {
      // Still being sent here past its lease (a stalled call or database): the send
      // under way records it, or the next lease takes it over through the ledger.
      if (headsInFlight.has(post.head.id)) continue;
      headsInFlight.add(post.head.id);
      const sending: Promise<void> = send(post, leaseEnd).finally(() => {
        inFlight.delete(sending);
        headsInFlight.delete(post.head.id);
        wake(); // its chat may be due again at once
      });
      inFlight.add(sending);
    }
    return posts.length;
  }

  /** One claim-and-send round, its sends awaited (tests step with it); returns how many posts it made or tried. */
  async function drainOnce(): Promise<number> {
    const n = await pump();
    await Promise.all(inFlight);
    return Math.max(0, n);
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const n = await pump();
        failures = 0;
        if (n === 0) await sleep(Math.min(idleMs, soonest));
      } catch (err) {
        // The database went away or a query failed: keep the process alive and retry.
        failures++;
        logger.error({ err }, "outbox round failed");
        await sleep(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      }
    }
    await Promise.all(inFlight);
  }

  /** A change was committed: look at the outbox now instead of after the idle sleep. */
  function wake() {
    if (wakeUp) wakeUp();
    else wakePending = true;
  }

  function sleep(ms: number): Promise<void> {
    if (wakePending) {
      wakePending = false;
      return Promise.resolve();
    }
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
    wake,
    drainOnce,
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
