import type { TFunction } from "i18next";
import type {
  Language,
  Notification,
  NotificationFacts,
  SlaTarget,
  TicketChange,
} from "../../server/domain/index.js";
import { encodeCallback } from "../ui/callback-data.js";
import { openButtonRow, staffCardKeyboard } from "../ui/keyboards.js";
import { ratingKeyboard } from "../ui/rating.js";
import { formatDue, slaCardLine } from "../ui/sla.js";
import { displayName, escapeHtml } from "../ui/text.js";
import { renderLiveNotice } from "./render-live.js";
import { splitText } from "./split-text.js";

export interface RenderedMessage {
  text: string;
  buttons: Array<Array<{ text: string; callback_data?: string; url?: string }>>;
  /**
   * The rest of a text longer than one Telegram message holds (4,096 characters),
   * sent right after it: a long description or message reaches staff whole.
   */
  more: string[];
}

/** When and where a rendering happens: SLA due times are shown as times of day in this zone. */
export interface RenderClock {
  /** TIME_ZONE (default UTC). */
  timeZone?: string;
  /** The deliverer's clock (default: the system's). */
  now?: Date;
}

/** What the scheduler records on an sla_warning / sla_breach row (server/domain/sla). */
interface SlaPayload {
  target?: SlaTarget;
  dueAt?: string;
}

/**
 * The staff chat's card of a ticket: its facts and where it stands now (edited as it
 * changes), with its SLA line (bot/ui/sla.ts: a state and an absolute due time, so
 * the card's digest changes with the state, not with every minute).
 */
export function staffCardText(
  f: NotificationFacts,
  t: TFunction,
  v: Record<string, string>,
  sla: string | null = null,
): string {
  const assignee = f.ticket.assigneeId ? v.assignee : t("notify:nobody");
  const status = t("notify:card_status", { status: v.status, assignee });
  const card = `${t("notify:new_ticket", v)}\n${status}${sla ? `\n${sla}` : ""}`;
  // Staff must know when their answers cannot reach the requester.
  return f.requester?.botBlocked ? `${card}\n${t("notify:requester_blocked")}` : card;
}

/**
 * The text and buttons of one notification in the reader's language (HTML parse
 * mode: every user-written value is escaped). Staff rows get triage buttons,
 * requester rows the buttons of their ticket card, "closed" the 1–5 rating row.
 * A new ticket's post carries its description, a message's post its words, whole:
 * what does not fit the first message follows in `more`.
 */
export function renderNotification(
  n: Notification,
  f: NotificationFacts,
  t: TFunction,
  lang: Language,
  publicUrl?: string,
  clock: RenderClock = {},
): RenderedMessage {
  // The card (a new ticket's post, and every later edit of it) carries the description.
  const opening = n.type === "new_ticket";
  const words = opening ? f.ticket.description : (f.message?.body ?? "");
  const { text, buttons } = renderHead(n, f, t, lang, publicUrl, clock);
  // The words' first part has a fixed room, whatever the header says now: a card edited
  // later (a new status, an assignee's name) cuts them at the same place as its first post.
  const [first, ...more] = splitText(words);
  const body = escapeHtml(first ?? "");
  if (opening) return { text: body ? `${text}\n\n${body}` : text, buttons, more: more.map(escapeHtml) };
  // A file sent without a caption has no words: no blank lines where they would stand.
  // split/join, not replace: a "$&" or "$'" a person wrote is no replacement pattern.
  const filled = body ? text.split(BODY_SLOT).join(body) : text.replace(/\n*\uFFFFbody\uFFFF/, "").trimEnd();
  return { text: filled, buttons, more: more.map(escapeHtml) };
}

/** Stands where a message's words go while the header is measured. */
const BODY_SLOT = "\uFFFFbody\uFFFF";

function renderHead(
  n: Notification,
  f: NotificationFacts,
  t: TFunction,
  lang: Language,
  publicUrl?: string,
  clock: RenderClock = {},
): Omit<RenderedMessage, "more"> {
  const change = (n.payload as { change?: TicketChange }).change;
  const toRequester = n.recipientId !== null && n.recipientId === f.ticket.requesterId;
  const someone = t("notify:someone");
  const v = {
    number: f.ticket.number,
    title: escapeHtml(f.ticket.title),
    category: escapeHtml(
      `${f.category?.emoji ?? ""} ${f.category?.name[lang] ?? f.category?.name.fa ?? ""}`.trim(),
    ),
    priority: t(`common:priority.${f.ticket.priority}`),
    status: t(`common:status.${f.ticket.status}`),
    requester: escapeHtml(displayName(f.requester, someone)),
    assignee: escapeHtml(displayName(f.assignee, someone)),
    author: escapeHtml(displayName(f.author, someone)),
    body: BODY_SLOT,
  };
  const id = f.ticket.id;
  const timeZone = clock.timeZone ?? "UTC";
  const now = clock.now ?? new Date();
  const open = openButtonRow(f.ticket, t, publicUrl);
  const staffButtons = staffCardKeyboard(f.ticket, t, publicUrl);
  const requesterButtons = [
    [
      { text: t("notify:button.reply"), callback_data: encodeCallback({ a: "reply", t: id }) },
      f.ticket.status === "closed" || f.ticket.status === "resolved"
        ? { text: t("notify:button.reopen"), callback_data: encodeCallback({ a: "reopen", t: id }) }
        : { text: t("notify:button.close"), callback_data: encodeCallback({ a: "close", t: id }) },
    ],
  ];
  const withFiles = (text: string) =>
    f.files.length > 0
      ? `${text.trimEnd()}\n\n${t("notify:attachments", { count: f.files.length })}`
      : text.trimEnd();

  switch (n.type) {
    case "new_ticket":
      if (!n.recipientId) {
        const sla = slaCardLine(f.ticket, t, lang, timeZone, now);
        return { text: staffCardText(f, t, v, sla), buttons: staffButtons };
      }
      return { text: t("notify:new_ticket", v), buttons: staffButtons };
    case "assigned": {
      if (!n.recipientId) {
        const key = f.ticket.assigneeId ? "notify:assigned_chat" : "notify:unassigned_chat";
        return { text: t(key, v), buttons: [] };
      }
      const mine = n.recipientId === f.ticket.assigneeId;
      return {
        text: t(mine ? "notify:assigned_to_you" : "notify:assigned_away", v),
        buttons: open.length ? [open] : [],
      };
    }
    case "status_changed":
    case "closed": {
      // Finished: the requester is asked for a rating, unless this resolution has one already.
      if (toRequester && n.type === "closed" && f.ticket.rating === null)
        return { text: t("notify:closed_requester", v), buttons: ratingKeyboard(id, t) };
      if (toRequester && change?.kind === "status" && change.to === "resolved" && f.ticket.rating === null)
        return {
          text: t("notify:resolved_requester", v),
          buttons: [...ratingKeyboard(id, t), requesterButtons[0]],
        };
      // The status this change made, not the ticket's status by the time the row goes out:
      // two quick changes are two messages, each with its own status.
      const made = change?.kind === "status" ? t(`common:status.${change.to}`) : v.status;
      if (toRequester)
        return { text: t("notify:status_requester", { ...v, status: made }), buttons: requesterButtons };
      if (n.type === "closed") return { text: t("notify:closed_chat", v), buttons: [] };
      const from = change?.kind === "status" ? t(`common:status.${change.from}`) : "";
      const to = change?.kind === "status" ? t(`common:status.${change.to}`) : v.status;
      return { text: t("notify:status_chat", { ...v, from, to }), buttons: [] };
    }
    case "new_message": {
      if (toRequester) return { text: withFiles(t("notify:reply_requester", v)), buttons: requesterButtons };
      const key = f.message?.isInternal ? "notify:note_staff" : "notify:message_staff";
      return { text: withFiles(t(key, v)), buttons: open.length ? [open] : [] };
    }
    case "received":
      return {
        text: t(
          change?.kind === "received" && change.internal ? "notify:note_received" : "notify:received",
          v,
        ),
        buttons: [],
      };
    case "sla_warning":
    case "sla_breach": {
      // The target and due time the scheduler raised it for; a row without them, the old text.
      const { target, dueAt } = n.payload as SlaPayload;
      const buttonRows = open.length ? [open] : [];
      if (!target || !dueAt) return { text: t("notify:sla_breach", v), buttons: buttonRows };
      const due = formatDue(new Date(dueAt), now, lang, timeZone);
      const key = n.type === "sla_warning" ? "bot:sla.warning" : "bot:sla.breach";
      return { text: t(key, { ...v, target: t(`bot:sla.target.${target}`), due }), buttons: buttonRows };
    }
    default:
      if (change?.kind === "live") return renderLiveNotice(change, f.ticket, t, toRequester);
      if (change?.kind === "priority")
        return {
          text: t("notify:priority_chat", {
            ...v,
            from: t(`common:priority.${change.from}`),
            to: t(`common:priority.${change.to}`),
          }),
          buttons: [],
        };
      if (change?.kind === "rule_notice")
        return {
          text: t("notify:rule_notice", {
            ...v,
            text: escapeHtml(change.text),
            rule: escapeHtml(change.rule),
          }),
          buttons: open.length ? [open] : [],
        };
      if (change?.kind === "reachability")
        return {
          text: t(change.blocked ? "notify:requester_left" : "notify:requester_back", v),
          buttons: [],
        };
      return { text: t("notify:system", v), buttons: [] };
  }
}
