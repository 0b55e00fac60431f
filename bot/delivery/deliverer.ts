import type { i18n, TFunction } from "i18next";
import type { Telegram } from "telegraf";
import {
  type Attachment,
  type CallBudget,
  type CarriedRows,
  type Clock,
  createDeliveryStore,
  type Db,
  type Deliverer,
  DeliveryError,
  type DeliveryResult,
  type DeliveryStore,
  type FileStore,
  type Language,
  type Notification,
  type NotificationFacts,
  type TicketChange,
} from "../../server/domain/index.js";
import { applyCallBudget } from "../call-budget.js";
import { createPlatformFeatures, isUnsupportedMethod, type PlatformFeatures } from "../platform.js";
import { postDigest } from "./digest.js";
import { digestOf, editCopy, keepCardCurrent } from "./edits.js";
import { mergeRows } from "./merge.js";
import { type RenderedMessage, renderNotification } from "./render.js";
import { reportDocumentOf, sendReportDocument } from "./report-document.js";
import { sendFiles, type UploadsInFlight } from "./send-files.js";
import { createForumDetector, ensureTopic, isMissingTopic, syncTopic } from "./staff-thread.js";
import { callTelegram } from "./telegram-call.js";
import { createTopicIcons, type TopicIconFor } from "./topic-icons.js";

export interface TelegramDelivererDeps {
  db: Db;
  i18n: i18n;
  telegram: Telegram;
  /** Language of staff group chats. */
  staffLanguage: Language;
  publicUrl?: string;
  /** Bot API call timeout (default 15 s). */
  timeoutMs?: number;
  /** Where files uploaded in the Mini App are kept, to send them on to Telegram. */
  files?: FileStore;
  /** The time zone merged posts and digests give times in (TIME_ZONE; default UTC). */
  timeZone?: string;
  /** What "now" is when due times are shown (SLA lines and notifications); default the system clock. */
  clock?: Clock;
  /** The Bot API budget every instance shares; calls beyond a post's reservation take their place in it. */
  budget?: CallBudget | null;
  /** What the Bot API supports (BOT_PLATFORM): without forum topics, every staff chat gets cards. */
  platform?: PlatformFeatures;
}

/** What the delivery steps share: the given deps, the domain's delivery store, topic icons, uploads in flight. */
export type Deps = TelegramDelivererDeps & {
  store: DeliveryStore;
  topicIcon: TopicIconFor;
  uploads: UploadsInFlight;
};

/**
 * Delivers one outbox row through the Bot API. People get the rendered text
 * with its buttons and the message's files. A staff chat gets it in the
 * ticket's forum topic (created, renamed, closed and reopened with the ticket),
 * or, in a plain group, under the ticket's card, which is edited as the ticket
 * changes. Returns the text message's id so replies can be mapped back.
 */
export function createTelegramDeliverer(given: TelegramDelivererDeps): Deliverer {
  applyCallBudget(given.telegram, given.budget);
  const isForum = createForumDetector(given.telegram, given.timeoutMs);
  const platform = given.platform ?? createPlatformFeatures();
  const deps: Deps = {
    ...given,
    store: createDeliveryStore(given.db),
    topicIcon: createTopicIcons(given.telegram, given.timeoutMs),
    uploads: new Map(),
  };
  return async (n: Notification, batch?: CarriedRows) => {
    if (batch?.kind === "digest") return postDigest(deps, n, batch.carried);
    // A report file (no ticket, no recipient): posted as a document of its own.
    const report = reportDocumentOf(n);
    if (report) return sendReportDocument(deps, n, report);
    const facts = await deps.store.facts(n);
    if (!facts) throw new DeliveryError("bad_request", "ticket no longer exists");
    const { editOf, albumOf, albumFiles } = n.payload as {
      editOf?: string;
      albumOf?: string;
      albumFiles?: string[];
    };
    keepQueuedFiles(n, facts);
    const lang = facts.recipient?.language ?? deps.staffLanguage;
    const t = deps.i18n.getFixedT(lang);
    let rendered = renderNotification(n, facts, t, lang, deps.publicUrl, renderClock(deps));
    if (editOf) return deliverEdit(deps, n, editOf, rendered);
    if (albumOf && albumFiles)
      return sendAlbumPart(
        deps,
        n,
        albumOf,
        facts.files.filter((f) => albumFiles.includes(f.id)),
      );
    if (batch?.kind === "merged") {
      const merged = await mergeRows(deps, [{ row: n, facts, rendered }], batch.carried, t, lang);
      rendered = merged.rendered;
      facts.files = merged.files;
    }
    if (n.recipientId !== null) return send(deps, n, rendered, facts.files, {});
    if (platform.has("forumTopics") && (await isForum(n.chatId))) {
      try {
        return await deliverToTopic(deps, n, facts, rendered);
      } catch (err) {
        // A Bot API that reports forums but has no topic methods: cards from now on.
        if (!isUnsupportedMethod(err)) throw err;
        platform.switchOff("forumTopics", err);
      }
    }
    return deliverUnderCard(deps, n, facts, rendered, t, lang);
  };
}

/** The zone and moment a rendering shows due times in. */
export const renderClock = (deps: Pick<TelegramDelivererDeps, "clock" | "timeZone">) => ({
  timeZone: deps.timeZone,
  now: deps.clock?.now() ?? new Date(),
});

/**
 * An original sends the files it was queued with: an album's later parts, even if
 * already attached by now, go out once, in their own follow-up rows.
 */
export function keepQueuedFiles(n: Notification, facts: NotificationFacts): void {
  const { albumOf, change } = n.payload as { albumOf?: string; change?: TicketChange };
  // "Added to T-…" points at the message it answers, but never sends its files back.
  if (n.type === "received") facts.files = [];
  else if (!albumOf && change?.kind === "message" && change.fileIds)
    facts.files = facts.files.filter((f) => change.fileIds?.includes(f.id));
}

/**
 * An edited message. Its copy is edited in place, unless the copy is a merged
 * post (an edit would wipe the other messages in it: the new words go as a reply
 * to it) or was summed up in a digest (nothing in the chat shows its words).
 */
async function deliverEdit(deps: Deps, n: Notification, originalId: string, rendered: RenderedMessage) {
  const copy = await deps.store.copyOf(originalId);
  if (copy?.digested) return { sentMessageId: null };
  if (!copy?.shared) return editCopy(deps, n, originalId, rendered);
  const extra = copy.sentMessageId
    ? { reply_parameters: { message_id: copy.sentMessageId, allow_sending_without_reply: true } }
    : {};
  const thread =
    n.recipientId === null && n.ticketId ? await deps.store.staffThread(n.ticketId, n.chatId) : null;
  return send(deps, n, rendered, [], {
    ...extra,
    ...(thread?.messageThreadId ? { message_thread_id: thread.messageThreadId } : {}),
  });
}

/** More files of an album whose first part was already delivered: sent under that message. */
async function sendAlbumPart(
  deps: Deps,
  n: Notification,
  originalId: string,
  files: Attachment[],
): Promise<DeliveryResult> {
  const originalMessageId = await deps.store.sentMessageIdOf(originalId);
  if (!originalMessageId)
    throw new DeliveryError("bad_request", "the album's first part was never delivered");
  const thread = n.ticketId ? await deps.store.staffThread(n.ticketId, n.chatId) : null;
  const threadExtra =
    n.recipientId === null && thread?.messageThreadId ? { message_thread_id: thread.messageThreadId } : {};
  await sendFiles(deps, n.chatId, files, originalMessageId, threadExtra);
  return { sentMessageId: originalMessageId };
}

async function deliverToTopic(
  deps: Deps,
  n: Notification,
  facts: NotificationFacts,
  rendered: RenderedMessage,
): Promise<DeliveryResult> {
  const icon = await deps.topicIcon(facts.ticket.status);
  let threadId = await ensureTopic(deps.store, deps.telegram, facts.ticket, n.chatId, {
    timeoutMs: deps.timeoutMs,
    icon,
  });
  const change = (n.payload as { change?: TicketChange }).change;
  // A status change, or an SLA warning or breach (the name's ⚠️ / 🔥), renames the topic.
  const sla = n.type === "sla_warning" || n.type === "sla_breach";
  if (change?.kind === "status" || sla) {
    const opts = { timeoutMs: deps.timeoutMs, icon };
    const made = change?.kind === "status" ? change : {};
    await syncTopic(deps.telegram, facts.ticket, n.chatId, threadId, made, opts).catch((err) => {
      if (!isMissingTopic(err)) throw err;
    });
  }
  try {
    return await send(deps, n, rendered, facts.files, { message_thread_id: threadId });
  } catch (err) {
    if (!isMissingTopic(err)) throw err;
    // Someone deleted the topic: open a new one for the ticket and post there.
    threadId = await ensureTopic(deps.store, deps.telegram, facts.ticket, n.chatId, {
      recreate: true,
      timeoutMs: deps.timeoutMs,
      icon,
    });
    return send(deps, n, rendered, facts.files, { message_thread_id: threadId });
  }
}

async function deliverUnderCard(
  deps: Deps,
  n: Notification,
  facts: NotificationFacts,
  rendered: RenderedMessage,
  t: TFunction,
  lang: Language,
): Promise<DeliveryResult> {
  const thread = await deps.store.staffThread(facts.ticket.id, n.chatId);
  if (n.type === "new_ticket" || !thread?.cardMessageId) {
    // The card is remembered as soon as it is posted: the description's rest and the
    // files follow as replies to it, and a retry after one of them fails keeps the card.
    const onText = async (cardId: number) => {
      if (n.type === "new_ticket")
        await deps.store.rememberCard(facts.ticket.id, n.chatId, cardId, digestOf(rendered));
    };
    return send(deps, n, rendered, facts.files, {}, onText);
  }
  // Keep the card current, then post the update as a reply to it.
  const card = renderNotification(
    { ...n, type: "new_ticket" },
    facts,
    t,
    lang,
    deps.publicUrl,
    renderClock(deps),
  );
  await keepCardCurrent(deps, n, { ...thread, cardMessageId: thread.cardMessageId }, card);
  return send(deps, n, rendered, facts.files, {
    reply_parameters: { message_id: thread.cardMessageId, allow_sending_without_reply: true },
  });
}

/**
 * The text, the rest of long words, then the files, each as a reply to the text.
 * Every call is a part of the delivery's send ledger (server/jobs/outbox/ledger.ts):
 * a retry after a failed part runs the same steps, the parts Telegram answered are
 * replayed from the ledger instead of sent again, and the rest go out.
 */
async function send(
  deps: Deps,
  n: Notification,
  rendered: RenderedMessage,
  files: Attachment[],
  extra: Record<string, unknown>,
  onText?: (messageId: number) => Promise<void>,
): Promise<DeliveryResult> {
  const threadExtra = extra.message_thread_id ? { message_thread_id: extra.message_thread_id } : {};
  const sent = await callTelegram<{ message_id: number }>(
    deps.telegram,
    "sendMessage",
    {
      chat_id: n.chatId,
      text: rendered.text,
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(rendered.buttons.length > 0 ? { reply_markup: { inline_keyboard: rendered.buttons } } : {}),
      ...extra,
    },
    deps.timeoutMs,
  );
  const textId = sent.message_id;
  await onText?.(textId);
  for (const part of rendered.more) {
    await callTelegram(
      deps.telegram,
      "sendMessage",
      {
        chat_id: n.chatId,
        text: part,
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        reply_parameters: { message_id: textId, allow_sending_without_reply: true },
        ...threadExtra,
      },
      deps.timeoutMs,
    );
  }
  await sendFiles(deps, n.chatId, files, textId, threadExtra);
  return { sentMessageId: textId };
}
