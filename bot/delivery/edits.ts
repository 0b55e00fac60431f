import { createHash } from "node:crypto";
import type { Telegram } from "telegraf";
import { DeliveryError, type DeliveryStore, type Notification } from "../../server/domain/index.js";
import type { RenderedMessage } from "./render.js";
import { callTelegram } from "./telegram-call.js";

interface EditDeps {
  telegram: Telegram;
  store: DeliveryStore;
  timeoutMs?: number;
}

/**
 * Puts new text and buttons on a message delivered earlier. Telegram refuses an
 * edit that changes nothing ("message is not modified"): the message is right
 * already. `tolerateGone` also lets a deleted or no longer editable message pass
 * (a card is no reason to hold back the post under it).
 */
async function editMessage(
  deps: EditDeps,
  chatId: number,
  messageId: number,
  shown: RenderedMessage,
  tolerateGone: boolean,
): Promise<void> {
  await callTelegram(
    deps.telegram,
    "editMessageText",
    {
      chat_id: chatId,
      message_id: messageId,
      text: shown.text,
      parse_mode: "HTML",
      ...(shown.buttons.length > 0 || tolerateGone
        ? { reply_markup: { inline_keyboard: shown.buttons } }
        : {}),
    },
    deps.timeoutMs,
  ).catch((err) => {
    if (!(err instanceof DeliveryError && err.kind === "bad_request")) throw err;
    if (!tolerateGone && !/not modified/i.test(err.message)) throw err;
  });
}

/**
 * An edited message: the text of the copy delivered earlier changes in place. A
 * long message's later parts (sent as replies) keep their words: an edit of a
 * message that long changes its first part only.
 */
export async function editCopy(
  deps: EditDeps,
  n: Notification,
  originalId: string,
  rendered: RenderedMessage,
) {
  const originalMessageId = await deps.store.sentMessageIdOf(originalId);
  if (!originalMessageId) throw new DeliveryError("bad_request", "the original copy was never delivered");
  await editMessage(deps, n.chatId, originalMessageId, rendered, false);
  return { sentMessageId: originalMessageId };
}

/** What a card shows, as a digest: its text and its buttons. */
export const digestOf = (card: RenderedMessage) =>
  createHash("sha256").update(card.text).update(JSON.stringify(card.buttons)).digest("base64url");

/**
 * Keeps a plain group's card current: an edit only when it shows something new
 * (each call counts against the group's 20 a minute), remembered by its digest.
 */
export async function keepCardCurrent(
  deps: EditDeps,
  n: Notification,
  thread: { ticketId: string; cardMessageId: number; cardDigest: string | null },
  card: RenderedMessage,
): Promise<void> {
  const digest = digestOf(card);
  if (thread.cardDigest === digest) return;
  await editMessage(deps, n.chatId, thread.cardMessageId, card, true);
  await deps.store.rememberCardDigest(thread.ticketId, n.chatId, digest);
}
