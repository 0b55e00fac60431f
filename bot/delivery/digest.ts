import type { DeliveryResult, Notification } from "../../server/domain/index.js";
import { miniAppUrlOf } from "../runtime.js";
import { escapeHtml, formatTime } from "../ui/text.js";
import type { Deps } from "./deliverer.js";
import { callTelegram } from "./telegram-call.js";

/** Tickets named in a digest; the rest are counted. */
const LISTED = 15;

/**
 * A group's backlog summed up in one post, when more is queued than Telegram
 * would let the bot post in minutes (server/jobs/outbox/batch.ts): how many
 * updates in how many tickets (how many new) since when, the busiest tickets,
 * and a button that opens the queue in the Mini App, where every message is.
 * In a forum it goes to the General topic. The rows it covers are marked sent
 * by this post.
 */
export async function postDigest(
  deps: Deps,
  head: Notification,
  carried: Notification[],
): Promise<DeliveryResult> {
  const rows = [head, ...carried];
  const t = deps.i18n.getFixedT(deps.staffLanguage);
  const perTicket = new Map<string, number>();
  for (const r of rows) if (r.ticketId) perTicket.set(r.ticketId, (perTicket.get(r.ticketId) ?? 0) + 1);
  const busiest = [...perTicket].sort((a, b) => b[1] - a[1]).slice(0, LISTED);
  const titles = await deps.store.ticketTitles(busiest.map(([id]) => id));
  const since = new Date(Math.min(...rows.map((r) => r.createdAt.getTime())));
  const lines = [
    t("notify:digest", {
      count: rows.length,
      tickets: perTicket.size,
      created: rows.filter((r) => r.type === "new_ticket").length,
      since: formatTime(since, deps.staffLanguage, deps.timeZone ?? "UTC"),
    }),
    "",
    ...busiest.map(([id, count]) =>
      t("notify:digest_line", {
        number: titles.get(id)?.number ?? "?",
        title: escapeHtml(titles.get(id)?.title ?? ""),
        count,
      }),
    ),
  ];
  if (perTicket.size > LISTED) lines.push(t("notify:digest_rest", { count: perTicket.size - LISTED }));
  const app = miniAppUrlOf(deps.publicUrl);
  await callTelegram(
    deps.telegram,
    "sendMessage",
    {
      chat_id: head.chatId,
      text: lines.join("\n"),
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(app
        ? { reply_markup: { inline_keyboard: [[{ text: t("notify:button.open_queue"), url: app }]] } }
        : {}),
    },
    deps.timeoutMs,
  );
  // Mapped to no row: a reply to the digest names no ticket (the bot says how to answer one).
  return { sentMessageId: null };
}
