import { canWork, useApp } from "../app-context.js";
import { localName, personLabel } from "../format.js";
import { t } from "../i18n.js";
import type { Choices, TicketData } from "../remote/client.js";
import { confirmDestructive } from "../telegram-native.js";
import { TermOptions } from "../term-options.js";

/** Sends one change of the ticket as drawn (TicketView adds If-Match, so a stale screen loses cleanly). */
type Change = (path: string, body: unknown) => void;

/**
 * Status, priority, assignee, category and labels of one ticket. The status and
 * assignee pickers offer what the server says this person may choose
 * (GET …/choices), so a choice that would be refused is never shown; the
 * current value is always shown, even when it is not a choice (an assignee
 * from another branch, a status only the requester can leave).
 */
export function TicketControls({
  ticket,
  choices,
  change,
  busy,
}: {
  ticket: TicketData;
  choices: Choices | null;
  change: Change;
  /** A change is on its way: the controls wait for it. */
  busy: boolean;
}) {
  const { me, meta, lang } = useApp();
  const worker = canWork(me);
  const manager = ["moderator", "admin", "owner"].includes(me.role);
  const id = ticket.id;
  const statuses = worker && choices ? [ticket.status, ...choices.statuses] : meta.statuses;
  const mayTake = choices?.assignees.some((u) => u.id === me.id) ?? false;
  return (
    <>
      <div className="controls">
        <label>
          {t("ticket.status")}
          <select
            aria-label={t("ticket.status")}
            value={ticket.status}
            disabled={busy || (!worker && ticket.requesterId !== me.id)}
            onChange={async (e) => {
              const status = e.target.value;
              // Closing ends the conversation for the requester: Telegram's popup asks first.
              if (
                status === "closed" &&
                !(await confirmDestructive(t("chat.confirm_close_ticket"), t("chat.close_ticket")))
              )
                return;
              change(`/api/tickets/${id}/status`, { status });
            }}
          >
            <TermOptions term="status" values={[...new Set(statuses)]} />
          </select>
        </label>
        <label>
          {t("ticket.priority")}
          <select
            aria-label={t("ticket.priority")}
            value={ticket.priority}
            disabled={busy || !worker}
            onChange={(e) => change(`/api/tickets/${id}`, { priority: e.target.value })}
          >
            <TermOptions term="priority" values={meta.priorities} />
          </select>
        </label>
        {manager ? (
          <label>
            {t("ticket.assignee")}
            <select
              aria-label={t("ticket.assignee")}
              value={ticket.assigneeId ?? ""}
              disabled={busy}
              onChange={(e) => change(`/api/tickets/${id}/assignee`, { assigneeId: e.target.value || null })}
            >
              {(!ticket.assigneeId || choices?.canUnassign) && <option value="">{t("ticket.nobody")}</option>}
              {ticket.assigneeId && (
                <option value={ticket.assigneeId}>
                  {ticket.assignee ? personLabel(ticket.assignee) : t("ticket.someone")}
                </option>
              )}
              {choices?.assignees.map((u) => (
                <option key={u.id} value={u.id}>
                  {personLabel(u)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          worker && (
            <>
              {ticket.assigneeId && ticket.assigneeId !== me.id && (
                <span className="row-sub" data-assignee>
                  {t("ticket.assignee")}:{" "}
                  {ticket.assignee ? personLabel(ticket.assignee) : t("ticket.someone")}
                </span>
              )}
              {(mayTake || (choices?.canUnassign && ticket.assigneeId === me.id)) && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    change(`/api/tickets/${id}/assignee`, {
                      assigneeId: ticket.assigneeId === me.id ? null : me.id,
                      ifUnassigned: ticket.assigneeId !== me.id,
                    })
                  }
                >
                  {ticket.assigneeId === me.id ? t("ticket.release") : t("ticket.take")}
                </button>
              )}
            </>
          )
        )}
      </div>
      {worker && (
        <div className="controls">
          <label>
            {t("ticket.category")}
            <select
              aria-label={t("ticket.category")}
              value={ticket.categoryId}
              disabled={busy}
              onChange={(e) => change(`/api/tickets/${id}`, { categoryId: e.target.value })}
            >
              {/* Active categories to move to; the ticket's own even when it was deactivated since. */}
              {meta.categories
                .filter((c) => c.isActive || c.id === ticket.categoryId)
                .map((c) => (
                  <option key={c.id} value={c.id} disabled={!c.isActive}>
                    {c.emoji} {localName(c.name, lang)}
                    {c.isActive ? "" : ` (${t("ticket.category_inactive")})`}
                  </option>
                ))}
            </select>
          </label>
          <fieldset className="labels" aria-label={t("ticket.labels")}>
            <legend>{t("ticket.labels")}</legend>
            {meta.labels
              .filter((l) => l.isActive || ticket.labelIds?.includes(l.id))
              .map((l) => {
                const on = ticket.labelIds?.includes(l.id) ?? false;
                const next = on
                  ? (ticket.labelIds ?? []).filter((x) => x !== l.id)
                  : [...(ticket.labelIds ?? []), l.id];
                return (
                  <button
                    key={l.id}
                    type="button"
                    className={on ? "chip on" : "chip"}
                    style={{ borderColor: l.color }}
                    aria-pressed={on}
                    onClick={() => change(`/api/tickets/${id}`, { labelIds: next })}
                  >
                    {l.name}
                  </button>
                );
              })}
          </fieldset>
        </div>
      )}
    </>
  );
}
