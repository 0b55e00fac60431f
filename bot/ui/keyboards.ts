import type { TFunction } from "i18next";
import { PRIORITIES, type Ticket, type TriageChoices } from "../../server/domain/index.js";
import { miniAppUrlOf } from "../runtime.js";
import { encodeCallback } from "./callback-data.js";
import { displayName } from "./text.js";

type Button = { text: string; callback_data: string } | { text: string; url: string };
export type Keyboard = Button[][];
export type StaffMenu = "assign" | "status" | "priority";

/** The Mini App link of a ticket, when the product has a public URL. */
export function openButtonRow(ticket: Pick<Ticket, "number">, t: TFunction, publicUrl?: string): Button[] {
  const app = miniAppUrlOf(publicUrl);
  return app ? [{ text: t("notify:button.open"), url: `${app}?startapp=t_${ticket.number}` }] : [];
}

/**
 * The buttons under a ticket's card in a staff chat: take (while nobody has it),
 * assign…, status…, priority… and open in the Mini App. The "…" buttons swap
 * this keyboard for a menu in place (see staffMenuKeyboard).
 */
export function staffCardKeyboard(
  ticket: Pick<Ticket, "id" | "number" | "assigneeId">,
  t: TFunction,
  publicUrl?: string,
): Keyboard {
  const menu = (m: StaffMenu) => encodeCallback({ a: "menu", t: ticket.id, m });
  const first: Button[] = [];
  if (!ticket.assigneeId)
    first.push({ text: t("notify:button.take"), callback_data: encodeCallback({ a: "take", t: ticket.id }) });
  first.push({ text: t("notify:button.assign"), callback_data: menu("assign") });
  const rows: Keyboard = [
    first,
    [
      { text: t("notify:button.status"), callback_data: menu("status") },
      { text: t("notify:button.priority"), callback_data: menu("priority") },
    ],
    [{ text: t("bot:abuse.button_requester"), callback_data: encodeCallback({ a: "modm", t: ticket.id }) }],
  ];
  const open = openButtonRow(ticket, t, publicUrl);
  if (open.length > 0) rows.push(open);
  return rows;
}

/** One menu of the staff card: only choices the domain will accept, and a way back. */
export function staffMenuKeyboard(
  menu: StaffMenu,
  ticket: Pick<Ticket, "id" | "priority">,
  choices: TriageChoices,
  t: TFunction,
): Keyboard {
  const id = ticket.id;
  let buttons: Button[] = [];
  if (menu === "assign") {
    buttons = choices.assignees.map((u) => ({
      text: displayName(u, "?"),
      callback_data: encodeCallback({ a: "asg", t: id, u: u.id }),
    }));
    if (choices.canUnassign)
      buttons.push({
        text: t("notify:button.nobody"),
        callback_data: encodeCallback({ a: "asg", t: id, u: "-" }),
      });
  } else if (menu === "status") {
    buttons = choices.statuses.map((s) => ({
      text: t(`common:status.${s}`),
      callback_data: encodeCallback({ a: "st", t: id, s }),
    }));
  } else {
    buttons = PRIORITIES.filter((p) => p !== ticket.priority).map((p) => ({
      text: t(`common:priority.${p}`),
      callback_data: encodeCallback({ a: "pr", t: id, p }),
    }));
  }
  const rows: Keyboard = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  rows.push([
    { text: t("notify:button.back"), callback_data: encodeCallback({ a: "menu", t: id, m: "main" }) },
  ]);
  return rows;
}

/** The "Requester…" menu of the staff card: ban, shadow-ban, unban, and back to the card. */
export function moderationKeyboard(ticketId: string, t: TFunction): Keyboard {
  const mod = (s: "banned" | "shadow" | "none") => encodeCallback({ a: "mod", t: ticketId, s });
  return [
    [
      { text: t("bot:abuse.button_ban"), callback_data: mod("banned") },
      { text: t("bot:abuse.button_shadow"), callback_data: mod("shadow") },
    ],
    [{ text: t("bot:abuse.button_unban"), callback_data: mod("none") }],
    [{ text: t("notify:button.back"), callback_data: encodeCallback({ a: "menu", t: ticketId, m: "main" }) }],
  ];
}

/** Canned replies shown per /canned list message (Telegram allows more; a phone screen does not). */
export const CANNED_PAGE_SIZE = 8;

/**
 * The /canned list: one button per reply (its title) that sends it on the ticket,
 * and ‹ › to page when there are more than fit.
 */
export function cannedListKeyboard(
  ticketId: string,
  replies: Array<{ id: string; title: string }>,
  page: number,
  hasMore: boolean,
): Keyboard {
  const rows: Keyboard = replies.map((r) => [
    { text: r.title, callback_data: encodeCallback({ a: "cn", t: ticketId, r: r.id }) },
  ]);
  const nav: Button[] = [];
  if (page > 0)
    nav.push({ text: "‹", callback_data: encodeCallback({ a: "cnp", t: ticketId, p: page - 1 }) });
  if (hasMore) nav.push({ text: "›", callback_data: encodeCallback({ a: "cnp", t: ticketId, p: page + 1 }) });
  if (nav.length) rows.push(nav);
  return rows;
}
