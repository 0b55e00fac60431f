import type { TFunction } from "i18next";
import type { Category, Language, Message, Ticket, TicketStatus } from "../../server/domain/index.js";
import { encodeCallback } from "./callback-data.js";
import { ratingKeyboard } from "./rating.js";
import { escapeHtml, formatDate } from "./text.js";

export const STATUS_EMOJI: Record<TicketStatus, string> = {
  open: "🟢",
  in_progress: "🟡",
  waiting_customer: "🕓",
  resolved: "✅",
  closed: "⚫",
};

type Button = { text: string; callback_data: string };

/** A requester's view of one ticket: facts, the last public messages, and what they can do. */
export function ticketCard(
  ticket: Ticket,
  category: Category | null,
  recent: Pick<Message, "authorId" | "body" | "isInternal">[],
  opts: { t: TFunction; lang: Language; timeZone: string; viewerId: string },
): { text: string; buttons: Button[][] } {
  const { t, lang, timeZone } = opts;
  const lines = [
    t("card.body", {
      emoji: STATUS_EMOJI[ticket.status],
      number: ticket.number,
      title: escapeHtml(ticket.title),
      status: t(`common:status.${ticket.status}`),
      priority: t(`common:priority.${ticket.priority}`),
      category: escapeHtml(
        `${category?.emoji ?? ""} ${category?.name[lang] ?? category?.name.fa ?? ""}`.trim(),
      ),
      created: formatDate(ticket.createdAt, lang, timeZone),
      updated: formatDate(ticket.updatedAt, lang, timeZone),
    }),
  ];
  const shown = recent.filter((m) => !m.isInternal && m.body);
  if (shown.length > 0) {
    lines.push("", t("card.last_messages"));
    for (const m of shown) {
      const who = m.authorId === opts.viewerId ? t("card.you") : t("card.support");
      const body = m.body.length > 300 ? `${m.body.slice(0, 300)}…` : m.body;
      lines.push(`• <b>${who}:</b> ${escapeHtml(body)}`);
    }
  }
  const id = ticket.id;
  const finished = ticket.status === "resolved" || ticket.status === "closed";
  const row: Button[] = [
    { text: t("notify:button.reply"), callback_data: encodeCallback({ a: "reply", t: id }) },
  ];
  row.push(
    finished
      ? { text: t("notify:button.reopen"), callback_data: encodeCallback({ a: "reopen", t: id }) }
      : { text: t("notify:button.close"), callback_data: encodeCallback({ a: "close", t: id }) },
  );
  const buttons = [row];
  if (finished && ticket.rating === null) buttons.push(...ratingKeyboard(id, t));
  return { text: lines.join("\n"), buttons };
}
