import type { Notification } from "../../../drizzle/schema/index.js";

/**
 * The seam between the outbox worker (server/jobs) and Telegram (bot/delivery):
 * the worker claims a notification row and hands it to a Deliverer, which renders
 * it in the recipient's language and makes the Bot API calls.
 */
export interface DeliveryResult {
  /** The Telegram message id sent, when there is one (used to map replies and edits). */
  sentMessageId: number | null;
}

/** What went wrong, in the terms the worker acts on (SPEC §6 delivery rules). */
export type DeliveryFailureKind =
  /** 429: wait retry_after and try again; never counts as a failure. */
  | "rate_limited"
  /** 403: the user blocked the bot, was kicked or is deactivated: stop sending to them. */
  | "blocked"
  /** 400: the request can never succeed: record and drop. */
  | "bad_request"
  /** 5xx, timeouts, network: back off exponentially and retry. */
  | "transient"
  /**
   * A send whose answer was lost (a crash, a timeout) and Telegram's facts do not
   * say whether it arrived: not sent again on its own (a requester would see it
   * twice); the row fails so an admin sees it and can retry it.
   */
  | "in_doubt";

export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryFailureKind,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/**
 * A post that carries more than its own row (server/jobs/outbox/batch.ts): the
 * queued rows of one ticket merged into it, or a digest of a chat's backlog.
 */
export interface CarriedRows {
  kind: "merged" | "digest";
  carried: Notification[];
}

export type Deliverer = (notification: Notification, batch?: CarriedRows) => Promise<DeliveryResult>;
