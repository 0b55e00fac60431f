import { AsyncLocalStorage } from "node:async_hooks";

/** One message-sending Bot API call as the send ledger sees it. */
export interface SendCall {
  method: string;
  chatId: number;
  params: Record<string, unknown>;
}

/**
 * What a probe of one message id in a chat found out, in Bot API terms: an edit
 * that changes nothing was refused as "not modified" (the bot's message, with
 * exactly that markup), "not found" (no such message, or deleted), "not
 * editable" (someone else's message), or it went through ("modified": a bot
 * message that had other markup).
 */
export type ProbeAnswer = "not_modified" | "not_found" | "not_editable" | "modified";

/** Asks Telegram about message `messageId` in `chatId` with an edit to `markup` (null: none). */
export type Probe = (chatId: number, messageId: number, markup: unknown) => Promise<ProbeAnswer>;

/**
 * The per-delivery sender the outbox worker makes (server/jobs/outbox/ledger.ts):
 * every message-sending call of one delivery goes through it, in order, as one
 * numbered part each. `call` makes the request; `probe` asks Telegram about a
 * part whose earlier answer was lost.
 */
export interface PartSender {
  send<T>(call: SendCall, request: () => Promise<T>, probe: Probe): Promise<T>;
  /** When Telegram last answered a call of this delivery (performance.now()); dates its place in the window. */
  readonly answeredAt?: number;
}

/**
 * The delivery under way in this async context. The worker runs each delivery
 * inside `withSender`; the Bot API seam (bot/delivery/telegram-call.ts) sends
 * through the current sender. Carried implicitly so the deliverer's many steps
 * (text, files, albums, topics) need no extra parameter and a rewritten
 * deliverer is ledgered as long as it calls the Bot API through that seam.
 */
const scope = new AsyncLocalStorage<PartSender>();

export const withSender = <T>(sender: PartSender, run: () => Promise<T>): Promise<T> =>
  scope.run(sender, run);

export const currentSender = (): PartSender | undefined => scope.getStore();
