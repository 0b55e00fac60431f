import { memo, useRef } from "react";
import { arrowOf, formatDate, formatNumber } from "../../format.js";
import { t } from "../../i18n.js";
import type { MetaData, QueueRow } from "../../remote/client.js";
import { formatSpan, SlaBadge } from "../../sla-badge.js";
import { markMatches } from "./mark-match.js";

const LONG_PRESS_MS = 450;

/**
 * One ticket in the queue, enough to triage without opening it: category emoji,
 * title and unread count; number, status and when it changed; requester → assignee
 * (staff); the last message's start (or, searching, the words found, marked); SLA
 * badge and how long the requester has waited. The priority is the colour of the
 * row's leading edge. User-written text carries dir="auto" / <bdi>, so Persian and
 * Latin mix without flipping. In select mode a tap (un)selects; a long press starts it.
 */
export const QueueRowItem = memo(function QueueRowItem({
  row,
  meta,
  lang,
  staff,
  q,
  now,
  selecting,
  selected,
  inert,
  onOpen,
  onToggle,
  onLongPress,
}: {
  row: QueueRow;
  meta: MetaData;
  lang: string;
  staff: boolean;
  q: string;
  now: number;
  selecting: boolean;
  selected: boolean;
  /** Rows of a view just left, shown while the new one loads: not to be opened or picked. */
  inert: boolean;
  onOpen(id: string): void;
  onToggle(id: string): void;
  onLongPress?(id: string): void;
}) {
  const category = meta.categories.find((c) => c.id === row.categoryId);
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; fired: boolean } | null>(null);
  const startPress = () => {
    if (!onLongPress || selecting || inert) return;
    const state = {
      fired: false,
      timer: setTimeout(() => {
        state.fired = true;
        onLongPress(row.id);
      }, LONG_PRESS_MS),
    };
    press.current = state;
  };
  const endPress = () => press.current && clearTimeout(press.current.timer);
  const click = () => {
    if (inert) return;
    // The click that ends a long press already selected the row.
    if (press.current?.fired) {
      press.current = null;
      return;
    }
    if (selecting) onToggle(row.id);
    else onOpen(row.id);
  };
  const waiting = staff && row.waitingSince ? now - Date.parse(row.waitingSince) : null;
  const snippet = row.match ?? row.lastMessage?.snippet ?? null;
  return (
    <button
      type="button"
      className={`row queue-row prio-${row.priority}${selected ? " selected" : ""}${inert ? " inert" : ""}`}
      data-ticket={row.number}
      aria-disabled={inert || undefined}
      aria-pressed={selecting ? selected : undefined}
      onClick={click}
      onPointerDown={startPress}
      onPointerUp={endPress}
      onPointerLeave={endPress}
      onContextMenu={(e) => onLongPress && e.preventDefault()}
    >
      {selecting && <span className={selected ? "check checked" : "check"} aria-hidden="true" />}
      <span className="row-emoji" aria-hidden="true">
        {category?.emoji ?? "•"}
      </span>
      <span className="row-main">
        <span className="row-line">
          <span className="row-title" dir="auto">
            {row.title}
          </span>
          {row.unread > 0 && (
            <span className="unread" title={t("queue_view.unread", { n: formatNumber(row.unread, lang) })}>
              {formatNumber(row.unread, lang)}
            </span>
          )}
        </span>
        <span className="row-sub">
          <span className={`dot status-${row.status}`} /> <bdi>{row.number}</bdi> ·{" "}
          {t(`common:status.${row.status}`)} ·{" "}
          <span className="prio-text">{t(`common:priority.${row.priority}`)}</span> ·{" "}
          {formatDate(row.updatedAt, lang)}
        </span>
        {staff && (
          <span className="row-people">
            <bdi className="requester">{row.requester.name || `@${row.requester.username ?? ""}`}</bdi>
            {/* From the requester to whoever has it: the arrow points the way the line reads. */}
            <span className="arrow"> {arrowOf(lang)} </span>
            {row.assignee ? (
              <bdi className="assignee">{row.assignee.name}</bdi>
            ) : (
              <span className="assignee none">{t("queue_view.no_assignee")}</span>
            )}
          </span>
        )}
        {snippet && (
          <span className={row.match ? "row-snippet match" : "row-snippet"} dir="auto">
            {!row.match && row.lastMessage?.internal && "🔒 "}
            {!row.match && row.lastMessage && !row.lastMessage.fromRequester && staff && "↩ "}
            {row.match
              ? markMatches(snippet, q).map((p, i) =>
                  // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed string
                  p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
                )
              : snippet}
          </span>
        )}
        {(row.sla || waiting !== null) && (
          <span className="row-flags">
            <SlaBadge sla={row.sla} lang={lang} />
            {waiting !== null && waiting > 0 && (
              <span className="waiting">{t("queue_view.waiting", { span: formatSpan(waiting, lang) })}</span>
            )}
          </span>
        )}
      </span>
    </button>
  );
});
