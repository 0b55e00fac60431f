import type { TFunction } from "i18next";
import type { Attachment, Language, Notification, NotificationFacts } from "../../server/domain/index.js";
import { formatTime } from "../ui/text.js";
import type { Deps } from "./deliverer.js";
import { keepQueuedFiles, renderClock } from "./deliverer.js";
import { type RenderedMessage, renderNotification } from "./render.js";

export interface RenderedRow {
  row: Notification;
  facts: NotificationFacts;
  rendered: RenderedMessage;
}

/**
 * One post for several queued rows of one ticket (server/jobs/outbox/batch.ts):
 * each row's own text, with the time it happened, one after another; the text
 * split only where a Telegram message is full; every row's files after it, in
 * order (sendFiles gathers them into albums of up to ten); the buttons of the
 * last row (the ticket's state as it is now). "Added to T-…" answers become one
 * "4 messages added to T-…".
 */
export async function mergeRows(
  deps: Deps,
  first: RenderedRow[],
  carried: Notification[],
  t: TFunction,
  lang: Language,
): Promise<{ rendered: RenderedMessage; files: Attachment[] }> {
  const rows = [...first];
  for (const row of carried) {
    const facts = await deps.store.facts(row);
    if (!facts) continue; // its ticket is gone: nothing to say about it
    keepQueuedFiles(row, facts);
    rows.push({
      row,
      facts,
      rendered: renderNotification(row, facts, t, lang, deps.publicUrl, renderClock(deps)),
    });
  }
  const files = rows.flatMap((r) => r.facts.files);
  const acks = rows.filter((r) => r.row.type === "received");
  if (acks.length === rows.length) return { rendered: ackText(rows, t), files };
  const zone = deps.timeZone ?? "UTC";
  const pieces = rows.flatMap(({ row, rendered }) => [
    `<i>${formatTime(row.createdAt, lang, zone)}</i>\n${rendered.text}`,
    ...rendered.more,
  ]);
  const [text, ...more] = pack(pieces);
  return { rendered: { text, more, buttons: rows[rows.length - 1].rendered.buttons }, files };
}

function ackText(rows: RenderedRow[], t: TFunction): RenderedMessage {
  const number = rows[0].facts.ticket.number;
  const notes = rows.every((r) => (r.row.payload as { change?: { internal?: boolean } }).change?.internal);
  const key = notes ? "notify:note_received_many" : "notify:received_many";
  return { text: t(key, { count: rows.length, number }), more: [], buttons: [] };
}

/**
 * Telegram's limit on one message, measured after parsing: a text whose HTML is
 * within it is within it (tags and escapes only add characters).
 */
const TELEGRAM_TEXT_MAX = 4096;

/** Pieces joined by blank lines into as few messages as Telegram's length allows. */
export function pack(pieces: string[], max = TELEGRAM_TEXT_MAX): string[] {
  const out: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const joined = current ? `${current}\n\n${piece}` : piece;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    if (current) out.push(current);
    current = piece;
  }
  if (current) out.push(current);
  return out.length > 0 ? out : [""];
}
