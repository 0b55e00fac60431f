import type { Telegram } from "telegraf";
import {
  DeliveryError,
  type DeliveryStore,
  type Ticket,
  type TicketStatus,
} from "../../server/domain/index.js";
import { STATUS_EMOJI } from "../ui/card.js";
import { SLA_TOPIC_PREFIX } from "../ui/sla.js";
import { callTelegram } from "./telegram-call.js";

/** Telegram's six topic icon colours; one per status keeps the list readable. */
const TOPIC_COLOR: Record<TicketStatus, number> = {
  open: 0x6fb9f0,
  in_progress: 0xffd67e,
  waiting_customer: 0xcb86db,
  resolved: 0x8eee98,
  closed: 0xff93b2,
};

/**
 * "🟢 T-… · title", with ⚠️ / 🔥 in front while the SLA is at risk or breached (the
 * state the scheduler keeps), so the topic list shows which tickets are late.
 */
export const topicName = (
  t: Pick<Ticket, "number" | "title" | "status"> & Partial<Pick<Ticket, "slaState">>,
) => {
  const sla = t.slaState ? SLA_TOPIC_PREFIX[t.slaState] : undefined;
  return `${sla ? `${sla} ` : ""}${STATUS_EMOJI[t.status]} ${t.number} · ${t.title}`.slice(0, 128);
};

/**
 * Whether a staff chat is a forum supergroup (one topic per ticket), asked once
 * per chat and remembered: a group turned into a forum is seen after a restart.
 */
export function createForumDetector(telegram: Telegram, timeoutMs?: number) {
  const known = new Map<number, boolean>();
  return async (chatId: number): Promise<boolean> => {
    const cached = known.get(chatId);
    if (cached !== undefined) return cached;
    const chat = await callTelegram<{ is_forum?: boolean }>(
      telegram,
      "getChat",
      { chat_id: chatId },
      timeoutMs,
    );
    known.set(chatId, chat.is_forum === true);
    return chat.is_forum === true;
  };
}

/**
 * The ticket's topic in a forum staff chat, created on first use (and created
 * again when someone deleted it: `recreate`), remembered in the domain's delivery store.
 */
export async function ensureTopic(
  store: DeliveryStore,
  telegram: Telegram,
  ticket: Ticket,
  chatId: number,
  opts: { recreate?: boolean; timeoutMs?: number; icon?: string } = {},
): Promise<number> {
  const row = await store.staffThread(ticket.id, chatId);
  if (row?.messageThreadId && !opts.recreate) return row.messageThreadId;
  const create = { chat_id: chatId, name: topicName(ticket), icon_color: TOPIC_COLOR[ticket.status] };
  const topic = await withIconOrWithout<{ message_thread_id: number }>(
    (icon) => callTelegram(telegram, "createForumTopic", { ...create, ...icon }, opts.timeoutMs),
    opts.icon,
  );
  await store.rememberTopic(ticket.id, chatId, topic.message_thread_id);
  return topic.message_thread_id;
}

/**
 * Renames (and re-icons) the topic after a status or SLA change (`change` empty), and
 * closes or reopens it with the ticket.
 */
export async function syncTopic(
  telegram: Telegram,
  ticket: Ticket,
  chatId: number,
  threadId: number,
  change: { from?: string; to?: string },
  opts: { timeoutMs?: number; icon?: string } = {},
): Promise<void> {
  const { timeoutMs } = opts;
  const base = { chat_id: chatId, message_thread_id: threadId };
  const edit = { ...base, name: topicName(ticket) };
  await withIconOrWithout(
    (icon) => callTelegram(telegram, "editForumTopic", { ...edit, ...icon }, timeoutMs),
    opts.icon,
  ).catch(ignoreNotModified);
  if (change.to === "closed")
    await callTelegram(telegram, "closeForumTopic", base, timeoutMs).catch(ignoreNotModified);
  if (change.from === "closed" && change.to !== "closed") {
    await callTelegram(telegram, "reopenForumTopic", base, timeoutMs).catch(ignoreNotModified);
  }
}

/**
 * A topic call with the status icon; refused (an icon id Telegram no longer
 * offers, a chat where icons are not allowed), the same call without it: the
 * name and the post matter more than the icon.
 */
async function withIconOrWithout<T>(
  call: (icon: { icon_custom_emoji_id?: string }) => Promise<T>,
  icon: string | undefined,
): Promise<T> {
  if (!icon) return call({});
  try {
    return await call({ icon_custom_emoji_id: icon });
  } catch (err) {
    const refused =
      err instanceof DeliveryError &&
      err.kind === "bad_request" &&
      !/NOT_MODIFIED|thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(err.message);
    if (!refused) throw err;
    return call({});
  }
}

/** Telegram answers 400 "TOPIC_NOT_MODIFIED" when nothing changes: not a failure. */
function ignoreNotModified(err: unknown): void {
  if (err instanceof DeliveryError && err.kind === "bad_request" && /NOT_MODIFIED/i.test(err.message)) return;
  throw err;
}

/** A send into a topic that no longer exists (someone deleted it). */
export const isMissingTopic = (err: unknown) =>
  err instanceof DeliveryError &&
  err.kind === "bad_request" &&
  /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(err.message);
