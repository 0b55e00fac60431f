import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Telegraf } from "telegraf";
import {
  type Db,
  finishUpdateClaims,
  type InstanceLiveness,
  openUpdateClaimHolder,
  releaseUpdateClaim,
  takeOverUpdateClaim,
} from "../server/domain/index.js";
import type { BotContext } from "./context.js";

/**
 * Each update takes effect once, even when Telegram delivers it again (a webhook
 * retry, a restart before the poll offset was confirmed) or two instances get it
 * at the same time.
 *
 * - Claim: the first statement for every update inserts its id with this
 *   process's id (update-state.ts does it in the same round trip as the sender
 *   and the session). The arrival whose insert wins runs the handlers.
 * - Another arrival of an unfinished claim: held by this process, the update is
 *   running here: nothing to do. Held by another: with long polling only one
 *   process receives updates (Telegram refuses a second poller), so the holder
 *   is a predecessor that died: take it over at once. With a webhook the holder
 *   may be alive: one known dead (its liveness lock is gone) is taken over at once;
 *   else wait for it (at most `waitMs`, well inside the 30 s handler
 *   timeout); a claim older than `ttlMs` is taken over; still held after the
 *   wait, the update is deferred: the webhook answers 503 and Telegram delivers
 *   it again later.
 * - Finish: after the handlers, also when they failed with an answer. Finished
 *   ids are written in batches every few milliseconds (one write per update was
 *   a tenth of the bot's database work); until then this process knows them.
 * - Abandon: the handlers failed because the database was unavailable (down,
 *   restarting, closed at shutdown). Nothing of the update was kept, so it must not
 *   count as finished: the claim is given back (when the database lets it) and the
 *   update is handed back to Telegram (the webhook answers 503; polling tries it
 *   again, runtime.ts) — before, it was answered 200 with an apology and lost.
 */
export interface UpdateClaims {
  /** This process's id in the claims it writes. */
  readonly holder: string;
  /** Long polling (set by startBot): only one process receives updates. */
  polling: boolean;
  /** Finished here, not written yet. */
  finishedHere(updateId: number): boolean;
  finish(updateId: number): void;
  /** The update is claimed already (not by this arrival): what this arrival should do. */
  settle(updateId: number): Promise<"finished" | "taken" | "deferred">;
  /** The database was unavailable while handling it: not finished, to be delivered again. */
  abandon(updateId: number): Promise<void>;
  /** Whether the update was abandoned here (the webhook answers 503); asks once. */
  takeAbandoned(updateId: number): boolean;
  /** Whether the update was deferred (the webhook answers 503); asks once. */
  takeDeferred(updateId: number): boolean;
  /** Writes the finished ids that wait (shutdown; tests). */
  flush(): Promise<void>;
}

export interface UpdateClaimOptions {
  /** Tells a dead holder from a live one (server/domain/bot-state/instance-liveness.ts); unset: by age only. */
  liveness?: Pick<InstanceLiveness, "holder" | "isAlive">;
  ttlMs?: number;
  waitMs?: number;
  pollMs?: number;
  batchMs?: number;
}

export function createUpdateClaims(db: Db, logger: Logger, opts: UpdateClaimOptions = {}): UpdateClaims {
  const { ttlMs = 60_000, waitMs = 20_000, pollMs = 100, batchMs = 10 } = opts;
  const holder = opts.liveness?.holder ?? randomUUID();
  const waiting = new Set<number>();
  const deferred = new Set<number>();
  /** Abandoned here and not yet answered for. */
  const abandoned = new Set<number>();
  /** Abandoned here while the claim could not be given back: still ours, to run again. */
  const ownedAgain = new Set<number>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const write = async () => {
    timer = null;
    const ids = [...waiting];
    if (ids.length === 0) return;
    try {
      await finishUpdateClaims(db, ids);
      for (const id of ids) waiting.delete(id);
    } catch (err) {
      // Kept for the next try; meanwhile other arrivals wait, and this process knows.
      logger.warn({ err, count: ids.length }, "could not record finished updates; retrying");
      timer ??= setTimeout(flushNow, 1000).unref();
    }
  };
  const flushNow = () => {
    writing = writing.then(write);
    return writing;
  };

  /** Takes the claim from another holder: any (polling), or one that stopped long ago. */
  const takeOver = (updateId: number, anyAge: boolean) =>
    takeOverUpdateClaim(db, { updateId, holder, olderThanMs: anyAge ? null : ttlMs });
  const openHolder = (updateId: number) => openUpdateClaimHolder(db, updateId);

  const claims: UpdateClaims = {
    holder,
    polling: false,
    finishedHere: (updateId) => waiting.has(updateId),
    finish(updateId) {
      waiting.add(updateId);
      timer ??= setTimeout(flushNow, batchMs);
    },
    async settle(updateId) {
      const by = await openHolder(updateId);
      // Our claim, left when the database went away: this delivery runs the update again.
      if (by === holder && ownedAgain.delete(updateId)) return "taken";
      if (by === null || by === holder) return "finished"; // done, or running here right now
      // Polling: only one process receives updates. Webhook: a holder known dead (its lock is gone).
      if (claims.polling || (opts.liveness && !(await opts.liveness.isAlive(by))))
        return (await takeOver(updateId, true)) ? "taken" : "finished";
      const end = Date.now() + waitMs;
      for (;;) {
        if (await takeOver(updateId, false)) return "taken";
        if ((await openHolder(updateId)) === null) return "finished";
        if (Date.now() >= end) {
          deferred.add(updateId);
          return "deferred";
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    async abandon(updateId) {
      abandoned.add(updateId);
      ownedAgain.add(updateId);
      try {
        await releaseUpdateClaim(db, { updateId, holder });
        ownedAgain.delete(updateId);
      } catch {
        // The database is still away: the claim stays ours, and ownedAgain lets us run it again.
      }
    },
    takeAbandoned: (updateId) => abandoned.delete(updateId),
    takeDeferred: (updateId) => deferred.delete(updateId),
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      await flushNow();
    },
  };
  return claims;
}

const claimsOf = new WeakMap<Telegraf<BotContext>, UpdateClaims>();
export const registerClaims = (bot: Telegraf<BotContext>, claims: UpdateClaims) => claimsOf.set(bot, claims);
/** The claims of a bot made by createBot (runtime, webhook and shutdown ask for them). */
export const claimsFor = (bot: Telegraf<BotContext>) => claimsOf.get(bot);
