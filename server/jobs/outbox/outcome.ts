import type { Logger } from "../../logger.js";

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;

export interface RecordOutcomeOptions {
  /** Stop trying at this time (ms since the epoch): the row's lease ends, another round takes it. */
  until: number;
  /** False once the worker is stopping, so stop() is not held up by a database that is away. */
  keepTrying: () => boolean;
  logger: Logger;
  notificationId: string;
}

/**
 * Writes what Telegram answered for a row (sent, or why not), trying again while
 * the database is away. The answer exists only in this process: the row stays
 * "sending" until it is written. Given up after one failed write (PostgreSQL
 * restarted, or dropped the connection the write went to), the row would wait for
 * its lease (60 s) and then go out again, a duplicate of a message already
 * delivered. Retrying is safe: each write sets states (the row's; for a blocked
 * chat also its queue's and the user's flag), so writing twice is writing once.
 * Tries until the lease ends, when another round may take the row anyway.
 */
export async function recordOutcome(
  write: () => Promise<void>,
  opts: RecordOutcomeOptions,
): Promise<boolean> {
  let waitMs = FIRST_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return true;
    } catch (err) {
      const retry = opts.keepTrying() && Date.now() + waitMs < opts.until;
      opts.logger[retry ? "warn" : "error"](
        { err, notificationId: opts.notificationId, attempt },
        retry
          ? "could not record a delivery, trying again"
          : "could not record a delivery; its lease will retry it",
      );
      if (!retry) return false;
      await new Promise((r) => setTimeout(r, waitMs));
      waitMs = Math.min(MAX_RETRY_MS, waitMs * 2);
    }
  }
}
