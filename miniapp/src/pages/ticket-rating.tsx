import { useState } from "react";
import { t } from "../i18n.js";
import { useApi } from "../remote/api-context.js";
import { type TicketData, unwrap } from "../remote/client.js";
import { errorText } from "../states.js";

/**
 * The satisfaction rating of the ticket's current resolution. Its requester rates a
 * resolved or closed ticket 1–5 and may add a comment (both changeable for 24 hours;
 * the server says when that has passed); staff see the rating and its comment.
 */
export function TicketRating({
  ticket,
  mine,
  onRated,
}: {
  ticket: TicketData;
  mine: boolean;
  /** The rating is in: the ticket is read again (its version changed). */
  onRated: () => void;
}) {
  const { client } = useApi();
  const [comment, setComment] = useState(ticket.ratingComment ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const finished = ticket.status === "resolved" || ticket.status === "closed";
  if (!finished || (!mine && ticket.rating === null)) return null;

  async function rate(body: { rating?: number; comment?: string }) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(client.tickets[":id"].rating.$put({ param: { id: ticket.id }, json: body }));
      onRated();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (!mine)
    return (
      <div className="rating">
        <span>
          {t("rating.given")}: {"⭐".repeat(ticket.rating ?? 0)}
        </span>
        {ticket.ratingComment && <q dir="auto">{ticket.ratingComment}</q>}
      </div>
    );
  return (
    <div className="rating">
      <span>{ticket.rating === null ? t("rating.ask") : t("rating.yours")}</span>
      <fieldset className="stars" aria-label={t("rating.ask")}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            aria-pressed={ticket.rating === n}
            aria-label={t("rating.stars", { count: n })}
            className={ticket.rating !== null && n <= ticket.rating ? "star on" : "star"}
            disabled={busy}
            onClick={() => rate({ rating: n })}
          >
            ★
          </button>
        ))}
      </fieldset>
      {ticket.rating !== null && (
        <div className="composer-row">
          <input
            dir="auto"
            aria-label={t("rating.comment")}
            placeholder={t("rating.comment")}
            value={comment}
            maxLength={1000}
            onChange={(e) => setComment(e.target.value)}
          />
          <button type="button" disabled={busy || !comment.trim()} onClick={() => rate({ comment })}>
            {t("rating.save_comment")}
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
