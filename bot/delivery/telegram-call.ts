import type { Telegram } from "telegraf";
import { currentSender, DeliveryError, type ProbeAnswer } from "../../server/domain/index.js";
import { deadlineOptions } from "../call-budget.js";

/** Longest a Bot API call may take before it counts as a transient failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Bot API methods that post messages: each goes through the delivery's send ledger. */
export const SENDING_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendVoice",
  "sendAudio",
  "sendAnimation",
  "sendSticker",
  "sendVideoNote",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
]);

/**
 * Calls the Bot API with a timeout and turns every failure into the DeliveryError
 * kind the outbox worker acts on: 429 → rate_limited (with retry_after), 403 →
 * blocked, other 4xx → bad_request, 5xx, timeouts and network errors → transient.
 *
 * Inside a delivery (server/domain/delivery/send-scope.ts) a call that posts a message
 * goes through the delivery's send ledger: written down before, its answer after,
 * replayed instead of repeated when the delivery is tried again.
 */
export async function callTelegram<T>(
  telegram: Telegram,
  method: string,
  payload: Record<string, unknown>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const sender = SENDING_METHODS.has(method) ? currentSender() : undefined;
  const request = () => rawCall<T>(telegram, method, payload, timeoutMs);
  if (!sender) return request();
  return sender.send(
    { method, chatId: Number(payload.chat_id), params: payload },
    request,
    (chat, id, markup) => probeMessage(telegram, chat, id, markup, timeoutMs),
  );
}

async function rawCall<T>(
  telegram: Telegram,
  method: string,
  payload: Record<string, unknown>,
  timeoutMs: number,
): Promise<T> {
  try {
    // The deadline counts from the send, not from the wait for a place in the budget (call-budget.ts).
    // Telegraf types callApi per method; payloads are built by the renderer.
    const callApi = telegram.callApi as unknown as (m: string, p: unknown, o: unknown) => Promise<T>;
    return await callApi.call(telegram, method, payload, deadlineOptions(telegram, timeoutMs));
  } catch (err) {
    throw toDeliveryError(err);
  }
}

/**
 * Asks whether message `messageId` of a chat is the bot's message carrying
 * exactly `markup`, with an edit of its reply markup to that same markup. The
 * Bot API refuses an edit that changes nothing ("message is not modified"), one
 * of a message that does not exist ("message to edit not found"; some servers
 * say MESSAGE_ID_INVALID) and one of a message the bot may not edit, such as the
 * user's own ("message can't be edited"). Only a bot message with other markup
 * is changed by it ("modified"); the ledger's rule keeps probes off such messages
 * and stops at the first one (server/jobs/outbox/reconcile.ts). Other failures
 * (429, 403, 5xx) are thrown as the delivery errors they are.
 */
export async function probeMessage(
  telegram: Telegram,
  chatId: number,
  messageId: number,
  markup: unknown,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<ProbeAnswer> {
  try {
    await rawCall(
      telegram,
      "editMessageReplyMarkup",
      { chat_id: chatId, message_id: messageId, ...(markup ? { reply_markup: markup } : {}) },
      timeoutMs,
    );
    return "modified";
  } catch (err) {
    if (!(err instanceof DeliveryError && err.kind === "bad_request")) throw err;
    if (/message is not modified/i.test(err.message)) return "not_modified";
    if (/message to edit not found|MESSAGE_ID_INVALID/i.test(err.message)) return "not_found";
    if (/message can't be edited/i.test(err.message)) return "not_editable";
    throw err;
  }
}

export function toDeliveryError(err: unknown): DeliveryError {
  // Already one (the budget's seam found no room for an outbox call): kept as it is.
  if (err instanceof DeliveryError) return err;
  const e = err as {
    code?: unknown;
    response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
  };
  const code = e.response?.error_code ?? (typeof e.code === "number" ? e.code : undefined);
  const description = e.response?.description ?? (err instanceof Error ? err.message : String(err));
  if (code === 429)
    return new DeliveryError("rate_limited", description, e.response?.parameters?.retry_after ?? 1);
  if (code === 403) return new DeliveryError("blocked", description);
  if (code !== undefined && code >= 400 && code < 500)
    return new DeliveryError("bad_request", `${code} ${description}`);
  return new DeliveryError("transient", code ? `${code} ${description}` : description);
}
