import { useState } from "react";
import { useApp } from "../../app-context.js";
import { formatDate, localName, personLabel } from "../../format.js";
import { t } from "../../i18n.js";
import { ModerationControl } from "../../moderation-control.js";
import type { Choices, HistoryEvent, TicketData } from "../../remote/client.js";
import { SlaBadge } from "../../sla-badge.js";
import { TicketControls } from "../ticket-controls.js";
import { TicketHistory } from "../ticket-history.js";

/**
 * The ticket's compact header: title, number, status, priority, assignee and SLA in two
 * lines that stay at the top; one tap on it opens the sheet with every control
 * (status, priority, assignee, category, labels) and the history.
 */
export function TicketHeader({
  ticket,
  choices,
  history,
  change,
  busy,
}: {
  ticket: TicketData;
  choices: Choices | null;
  history: HistoryEvent[];
  change(path: string, body: unknown): void;
  busy: boolean;
}) {
  const { meta, lang } = useApp();
  const [open, setOpen] = useState(false);
  const category = meta.categories.find((c) => c.id === ticket.categoryId);
  return (
    <header className="ticket-head">
      <button
        type="button"
        className="ticket-summary"
        aria-expanded={open}
        aria-controls="ticket-sheet"
        aria-label={t("chat.details")}
        onClick={() => setOpen((o) => !o)}
      >
        <h1 className="ticket-title" dir="auto">
          {ticket.title}
        </h1>
        <span className="ticket-facts">
          <bdi>{ticket.number}</bdi>
          {category && <span>{category.emoji}</span>}
          <span className={`chip-status status-${ticket.status}`}>{t(`common:status.${ticket.status}`)}</span>
          <span className={`chip-priority priority-${ticket.priority}`}>
            {t(`common:priority.${ticket.priority}`)}
          </span>
          <span className="ticket-assignee">
            👤 <bdi dir="auto">{ticket.assignee ? personLabel(ticket.assignee) : t("ticket.nobody")}</bdi>
          </span>
          {ticket.sla && ticket.sla.state !== "none" && (
            <span className="ticket-sla">
              <SlaBadge sla={ticket.sla} lang={lang} />
            </span>
          )}
          <span className="sheet-toggle" aria-hidden="true">
            {open ? "▴" : "▾"}
          </span>
        </span>
      </button>
      {ticket.requester && (
        <p className="row-sub requester-line">
          {t("ticket.requester")}: <bdi dir="auto">{personLabel(ticket.requester)}</bdi>
        </p>
      )}
      {ticket.requester?.botBlocked && (
        <p className="error" role="status">
          {t("ticket.requester_blocked")}
        </p>
      )}
      <section id="ticket-sheet" className="ticket-sheet" hidden={!open}>
        <p className="row-sub">
          {t("ticket.created")} {formatDate(ticket.createdAt, lang)}
          {category ? ` · ${category.emoji} ${localName(category.name, lang)}` : ""}
        </p>
        <TicketControls ticket={ticket} choices={choices} change={change} busy={busy} />
        {ticket.requester && <ModerationControl userId={ticket.requesterId} />}
        <h2>{t("ticket.history")}</h2>
        <TicketHistory events={history} meta={meta} lang={lang} />
      </section>
    </header>
  );
}
