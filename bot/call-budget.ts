import { setTimeout as sleep } from "node:timers/promises";
import type { Telegram } from "telegraf";
import {
  type CallBudget,
  DeliveryError,
  inOutboxDelivery,
  settlePrepaidBeforeExtraCall,
  spendPrepaidCall,
  untilPrepaidPlace,
} from "../server/domain/index.js";
import { createRoomQueue, type RoomQueue } from "./room-queue.js";

type CallApi = Telegram["callApi"];

/** Calls that read, or only show "typing…": they post nothing and are not what Telegram's limits count. */
const UNCOUNTED = /^(get|sendChatAction$|leaveChat$)/;

/** The chat a call posts into, when it is one Telegram's limits count (null: not counted). */
export function countedChat(method: string, payload: Record<string, unknown> | undefined): number | null {
  if (UNCOUNTED.test(method)) return null;
  const chat = payload?.chat_id;
  const id = typeof chat === "number" ? chat : typeof chat === "string" ? Number(chat) : Number.NaN;
  return Number.isFinite(id) ? id : null;
}

/**
 * A call's deadline given as `{ timeoutMs }` instead of a signal: it starts when the
 * call goes out, after its wait for a place in the budget. A signal made before the
 * wait ran out while the call waited for a group's window (20 a minute: up to a
 * minute) and the call failed unsent as a timeout (bench:burst, 2026-12-08).
 */
export interface SendDeadline {
  timeoutMs?: number;
  signal?: AbortSignal;
}

const budgeted = new WeakSet<Telegram>();

/** The options for a call with this deadline: as a duration where the budget's seam starts it at the send. */
export function deadlineOptions(telegram: Telegram, timeoutMs: number): SendDeadline {
  return budgeted.has(telegram) ? { timeoutMs } : { signal: AbortSignal.timeout(timeoutMs) };
}

/** The options the call goes out with: a `timeoutMs` deadline starts now. */
function sendOptions(opts: unknown): unknown {
  const given = opts as SendDeadline | undefined;
  if (given?.timeoutMs === undefined) return opts;
  const { timeoutMs, ...rest } = given;
  return { ...rest, signal: rest.signal ?? AbortSignal.timeout(timeoutMs) };
}

/**
 * The messages a call posts, as Telegram's limits count them: each item of an album,
 * each message copied or forwarded; one for any other call.
 */
export function countedCalls(method: string, payload: Record<string, unknown> | undefined): number {
  const items =
    method === "sendMediaGroup"
      ? payload?.media
      : /^(copy|forward)Messages$/.test(method)
        ? payload?.message_ids
        : null;
  return Array.isArray(items) && items.length > 0 ? items.length : 1;
}

/** How often an answer refused with 429 is sent again after its retry_after. */
const MAX_429_RETRIES = 5;

/**
 * Makes every counted Bot API call of this Telegram instance take its place in
 * the bot-wide and per-chat budget every instance shares (server/domain/delivery/
 * budget.ts) before it goes out: the bot's answers to people, card edits, topic
 * calls, webhook answers. An outbox delivery uses the calls its claim reserved
 * first. A 429 holds the whole chat back (for every instance) for its
 * retry_after; an answer (outside the outbox, which retries rows itself) is then
 * sent again, never dropped.
 */
export function applyCallBudget(
  telegram: Telegram,
  budget: CallBudget | null | undefined,
  /** Longest a call waits for room (room-queue.ts; tests make it short). */
  maxWaitMs?: number,
): void {
  if (!budget) return;
  const queue = queueOf(budget, maxWaitMs);
  const inner = telegram.callApi.bind(telegram) as CallApi;
  budgeted.add(telegram);
  telegram.callApi = (async (method: string, payload: Record<string, unknown>, opts?: unknown) => {
    const chatId = countedChat(method, payload);
    const call = () =>
      (inner as (m: string, p: unknown, o?: unknown) => Promise<unknown>)(method, payload, sendOptions(opts));
    if (chatId === null) return call();
    const calls = countedCalls(method, payload);
    for (let attempt = 0; ; attempt++) {
      const prepaid = spendPrepaidCall(chatId, calls);
      // A place the claim took ahead: the call goes when it is free.
      if (prepaid) await untilPrepaidPlace();
      // A call beyond what the delivery's claim reserved: that reservation is done with.
      else await settlePrepaidBeforeExtraCall(chatId);
      const reservation = prepaid ? null : await queue.take(chatId, inOutboxDelivery(), calls);
      // An outbox call that found no room in its longest wait is not sent past the
      // chat's limit: the delivery is tried again when the claim sees room for it, and
      // its send ledger replays what already went.
      if (!prepaid && reservation === null && inOutboxDelivery())
        throw new DeliveryError("rate_limited", "no room in the chat's window", 1);
      try {
        return await call();
      } catch (err) {
        const retryAfterS = retryAfterOf(err);
        if (retryAfterS === null) throw err;
        await budget.pause(chatId, retryAfterS * 1000).catch(() => {});
        if (inOutboxDelivery() || attempt >= MAX_429_RETRIES) throw err;
        await sleep(retryAfterS * 1000);
      } finally {
        if (reservation !== null) await budget.settle(reservation).catch(() => {});
      }
    }
  }) as CallApi;
}

/** One line of waiting calls per budget, whichever Telegram instances share it (room-queue.ts). */
const queues = new WeakMap<CallBudget, RoomQueue>();
function queueOf(budget: CallBudget, maxWaitMs?: number): RoomQueue {
  let queue = queues.get(budget);
  if (!queue) {
    queue = createRoomQueue(budget, maxWaitMs);
    queues.set(budget, queue);
  }
  return queue;
}

function retryAfterOf(err: unknown): number | null {
  const e = err as { response?: { error_code?: number; parameters?: { retry_after?: number } } };
  if (e?.response?.error_code !== 429) return null;
  return Math.max(1, e.response.parameters?.retry_after ?? 1);
}
