import { FAILURES, type Failure } from "./failures.js";
import type { Params } from "./results.js";

/** A message the fake keeps, as far as edits need it. */
export interface StoredMessage {
  fromBot: boolean;
  text?: unknown;
  caption?: unknown;
  replyMarkup?: unknown;
}

/** An error answer thrown out of a method's answer (the server sends it as Telegram would). */
export class FakeFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.description);
  }
}

/** Telegram's texts for refused edits (the Bot API's "Updating messages" methods). */
export const EDIT_FAILURES = {
  notFound: () => FAILURES.badRequest("message to edit not found"),
  notEditable: () => FAILURES.badRequest("message can't be edited"),
  notModified: () =>
    FAILURES.badRequest(
      "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    ),
};

/** JSON with sorted keys: two markups are the same whatever order their fields came in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v ?? null, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
const emptyMarkup = (m: unknown) =>
  m === undefined ||
  m === null ||
  (typeof m === "object" && Array.isArray((m as { inline_keyboard?: unknown[] }).inline_keyboard)
    ? (m as { inline_keyboard: unknown[] }).inline_keyboard.length === 0
    : false);
const sameMarkup = (a: unknown, b: unknown) =>
  (emptyMarkup(a) && emptyMarkup(b)) || canonical(a) === canonical(b);

/**
 * The messages of every chat, with per-chat sequential ids shared by the bot and
 * the user (as in a private chat), so edits answer as Telegram does: an unknown
 * id is "message to edit not found", someone else's message "message can't be
 * edited", an edit that changes nothing "message is not modified". With `strict`
 * off, an edit of an id the fake never handed out succeeds as before (bot tests
 * build updates about messages the fake did not send).
 */
export function createMessageStore(strict: boolean) {
  const chats = new Map<number, Map<number, StoredMessage>>();
  const lastId = new Map<number, number>();
  const chat = (chatId: number) => {
    const c = chats.get(chatId) ?? new Map<number, StoredMessage>();
    chats.set(chatId, c);
    return c;
  };
  const add = (chatId: number, message: StoredMessage): number => {
    const id = (lastId.get(chatId) ?? 0) + 1;
    lastId.set(chatId, id);
    chat(chatId).set(id, message);
    return id;
  };

  /** Applies an edit to a stored message, or throws the failure Telegram would answer. */
  function edit(method: string, p: Params): StoredMessage | undefined {
    const m = chats.get(Number(p.chat_id))?.get(Number(p.message_id));
    if (!m) {
      if (strict) throw new FakeFailure(EDIT_FAILURES.notFound());
      return undefined;
    }
    if (!m.fromBot) throw new FakeFailure(EDIT_FAILURES.notEditable());
    const next: StoredMessage = { ...m, replyMarkup: p.reply_markup };
    if (method === "editMessageText") next.text = p.text;
    if (method === "editMessageCaption") next.caption = p.caption;
    const same =
      sameMarkup(m.replyMarkup, next.replyMarkup) && next.text === m.text && next.caption === m.caption;
    if (same) throw new FakeFailure(EDIT_FAILURES.notModified());
    Object.assign(m, next);
    return m;
  }

  return {
    add,
    edit,
    /** The messages of a chat by id (tests look at what a probe may have changed). */
    of: (chatId: number) => chat(chatId),
    /** Deletes a message as a user can in a private chat: its id stays used. */
    remove: (chatId: number, messageId: number) => chats.get(chatId)?.delete(messageId),
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
