import type { TFunction } from "i18next";
import { encodeCallback } from "./callback-data.js";

type Button = { text: string; callback_data: string };

/**
 * The requester's rating buttons for a finished ticket: 1 to 5 stars, and once a
 * rating is given (`rated`) the chosen one marked and a comment button. Pressing
 * another star within 24 hours changes the rating.
 */
export function ratingKeyboard(ticketId: string, t: TFunction, rated?: number): Button[][] {
  const stars = [1, 2, 3, 4, 5].map((n) => ({
    text: n === rated ? `✅ ${"⭐".repeat(n)}` : "⭐".repeat(n),
    callback_data: encodeCallback({ a: "rate", t: ticketId, n }),
  }));
  const rows = [stars.slice(0, 3), stars.slice(3)];
  if (rated !== undefined)
    rows.push([
      { text: t("rate_comment_button"), callback_data: encodeCallback({ a: "rcom", t: ticketId }) },
    ]);
  return rows;
}
