import { arrowOf, formatDate, listSeparator, localName } from "../format.js";
import { t } from "../i18n.js";
import type { HistoryEvent, MetaData } from "../remote/client.js";

/** What one side of a change reads as: the term, the catalog name, or the text itself. */
function shownValue(e: HistoryEvent, value: string | null, meta: MetaData, lang: string): string {
  if (value === null || value === "") return "—";
  switch (e.kind) {
    case "status":
    case "reopen":
      return t(`common:status.${value}`);
    case "priority":
      return t(`common:priority.${value}`);
    case "category": {
      const category = meta.categories.find((c) => c.id === value);
      return category ? localName(category.name, lang) : "—";
    }
    case "label":
      return value
        .split(",")
        .map((id) => meta.labels.find((l) => l.id === id)?.name ?? "—")
        .join(listSeparator(lang));
    default:
      return `“${value}”`;
  }
}

/** Changes whose two sides are worth showing (an assignee's id, a rating's number are not). */
const SHOWS_FROM_TO = new Set([
  "status",
  "reopen",
  "priority",
  "category",
  "label",
  "title",
  "message_edit",
  "note_edit",
]);

/** The ticket's history: who did what, and for a change what it was and became. */
export function TicketHistory({
  events,
  meta,
  lang,
}: {
  events: HistoryEvent[];
  meta: MetaData;
  lang: string;
}) {
  return (
    <ol className="history">
      {events.map((e) => (
        <li key={e.id}>
          <time>{formatDate(e.createdAt, lang)}</time>{" "}
          {e.actorName ? (
            <b>
              <bdi>{e.actorName}</bdi>{" "}
            </b>
          ) : null}
          {e.kind === "automation" ? t("rules.history_ran", { name: e.toValue ?? "" }) : t(`event.${e.kind}`)}
          {SHOWS_FROM_TO.has(e.kind) && (e.fromValue !== null || e.toValue !== null) ? (
            <span className="change">
              : <bdi>{shownValue(e, e.fromValue, meta, lang)}</bdi>{" "}
              <span className="arrow">{arrowOf(lang)}</span> <bdi>{shownValue(e, e.toValue, meta, lang)}</bdi>
            </span>
          ) : null}
          {e.comment?.startsWith("rule:") ? ` ${t("rules.history_by", { name: e.comment.slice(5) })}` : null}
        </li>
      ))}
    </ol>
  );
}
