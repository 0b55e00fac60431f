import type { Route } from "./app-context.js";

/** A ticket number as it appears in links: T-YYYYMMDD-#### (the "T-" optional, as people type it). */
const TICKET_LINK = /^t_(T-)?(\d{8}-\d{1,6})$/i;

/**
 * The screen a launch parameter asks for: `startapp=t_<number>` (Telegram passes it as
 * tgWebAppStartParam) opens that ticket above the queue, so Back lands in the queue.
 * Anything else opens the queue.
 */
export function initialStack(startParam: string | null): Route[] {
  // `startapp=live`: the Live screen (a requester's own live chat, the operator's offers and chats).
  if (startParam === "live") return [{ name: "queue" }, { name: "live" }];
  const match = startParam ? TICKET_LINK.exec(startParam) : null;
  if (!match) return [{ name: "queue" }];
  return [{ name: "queue" }, { name: "ticket", number: `T-${match[2]}` }];
}

/** The link that opens a ticket, for sharing (t.me/<bot>/<app>?startapp=…). */
export const startParamOf = (ticketNumber: string) => `t_${ticketNumber}`;
