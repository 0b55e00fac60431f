import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/*
 * The running outbox delivery's calls, as its claim paid for them
 * (server/jobs/outbox/claim.ts): the Bot API seam (bot/call-budget.ts) spends them
 * instead of taking places from the budget (budget.ts) again.
 */

/**
 * Calls an outbox delivery has already paid for: the claim reserved them with
 * the row (server/jobs/outbox/claim.ts), so the Bot API seam does not take them
 * again. A delivery that needs more (a topic to create) takes the rest one by one.
 */
export interface Prepaid {
  chatId: number;
  calls: number;
  /**
   * Settles the claim's reservation (its calls count from now for one window).
   * Called once when the delivery needs a call beyond it: until then the
   * reservation fills the chat's window, and in a private chat (1 a second) the
   * extra call would wait for its own post to finish, which never happens (found
   * by `npm run chaos`: a merged post's second message waited out its timeout
   * every time, and the chat's queue stopped).
   */
  settle?: () => Promise<void>;
  /**
   * When the claim's places in the bot-wide window are free (performance.now()):
   * a place taken ahead (server/jobs/outbox/global-places.ts). The delivery's
   * preparation (render, the ledger's intent) runs before it; only the call waits.
   */
  notBefore?: number;
  /** Set by the Bot API seam at the delivery's first counted call: `calls` then says what is left. */
  metered?: boolean;
}

const prepaidScope = new AsyncLocalStorage<Prepaid>();

export const withPrepaidCalls = <T>(prepaid: Prepaid, run: () => Promise<T>): Promise<T> =>
  prepaidScope.run(prepaid, run);

/** Waits, if the running delivery's places in the bot-wide window are not free yet. */
export async function untilPrepaidPlace(): Promise<void> {
  const wait = (prepaidScope.getStore()?.notBefore ?? 0) - performance.now();
  if (wait > 0) await sleep(Math.ceil(wait));
}

/**
 * Uses prepaid calls to `chatId` for a call of `calls` messages (an album's items
 * each count, as the claim reserved them), if the running delivery has any left.
 */
export function spendPrepaidCall(chatId: number, calls = 1): boolean {
  const p = prepaidScope.getStore();
  if (!p || p.chatId !== chatId) return false;
  p.metered = true;
  if (p.calls <= 0) return false;
  p.calls = Math.max(0, p.calls - calls);
  return true;
}

/**
 * The reserved calls the delivery did not make, to give back to the windows. None
 * when no call went through the Bot API seam: a deliverer without a budget never
 * spends them, and all would look unused.
 */
export const unusedOf = (p: Prepaid): number => (p.metered ? Math.max(0, p.calls) : 0);

/**
 * Before a call the delivery did not prepay: settles the claim's reservation once,
 * so the call waits for the chat's window like any other, not behind its own post.
 */
export async function settlePrepaidBeforeExtraCall(chatId: number): Promise<void> {
  const p = prepaidScope.getStore();
  if (!p || p.chatId !== chatId || !p.settle) return;
  const settle = p.settle;
  p.settle = undefined;
  await settle().catch(() => {});
}

/** Whether the running code is an outbox delivery (its 429s are the worker's to handle). */
export const inOutboxDelivery = () => prepaidScope.getStore() !== undefined;
