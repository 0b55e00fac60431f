import type { TFunction } from "i18next";
import type { TicketChange } from "../../server/domain/index.js";
import { encodeCallback } from "../ui/callback-data.js";
import { ratingKeyboard } from "../ui/rating.js";
import { escapeHtml } from "../ui/text.js";

type LiveChange = Extract<TicketChange, { kind: "live" }>;
type Buttons = Array<Array<{ text: string; callback_data?: string }>>;

/**
 * A live chat notice (server/domain/live/notices.ts) in its reader's language:
 * the offer with Accept / Decline, the queue position with Leave (later positions
 * edit the same message), connected with End, the requester's own end with the
 * rating row (the same buttons as a resolved ticket's).
 */
export function renderLiveNotice(
  change: LiveChange,
  ticket: { id: string; number: string },
  t: TFunction,
  toRequester: boolean,
): { text: string; buttons: Buttons } {
  const v = { number: ticket.number, name: escapeHtml(change.name || t("notify:someone")) };
  const button = (key: string, k: "acc" | "dec" | "leave" | "end") => ({
    text: t(`bot:live.button.${key}`),
    callback_data: encodeCallback({ a: "lv", k, c: change.chatId }),
  });
  switch (change.event) {
    case "offer":
      return {
        text: t("bot:live.notice.offer", v),
        buttons: [[button("accept", "acc"), button("decline", "dec")]],
      };
    case "queued":
    case "position":
      return {
        text: t("bot:live.notice.queued", { ...v, position: change.position, minutes: change.waitMinutes }),
        buttons: [[button("leave", "leave")]],
      };
    case "connected":
    case "transferred":
      return { text: t(`bot:live.notice.${change.event}`, v), buttons: [[button("end", "end")]] };
    case "transferred_in":
      return { text: t("bot:live.notice.transferred_in", v), buttons: [[button("end", "end")]] };
    case "ended":
      // To the requester (who ended it) it carries the rating; to the operator it says who ended it.
      return toRequester
        ? { text: t("bot:live.notice.ended_requester", v), buttons: ratingKeyboard(ticket.id, t) }
        : { text: t("bot:live.notice.ended_operator", v), buttons: [] };
    default:
      return { text: t(`bot:live.notice.${change.event}`, v), buttons: [] };
  }
}
