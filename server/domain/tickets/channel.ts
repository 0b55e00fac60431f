import { type SQL, sql } from "drizzle-orm";

/**
 * A ticket's channel in reports and in the queue's filter: where its requester first
 * wrote in it — `bot` (private chat), `miniapp`, `staff_chat` — or `none` when only
 * the opening form's description exists. Tickets do not store the door they were
 * opened through, so this is the closest honest answer (docs/REPORTS.md "Channel").
 */
export const TICKET_CHANNELS = ["bot", "miniapp", "staff_chat", "none"] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** The channel of the `tickets` row in scope, as SQL (one index probe on messages_ticket_idx). */
export const requesterChannel: SQL = sql.raw(`coalesce((select m.source from messages m
  where m.ticket_id = tickets.id and m.author_id = tickets.requester_id and not m.is_internal
  order by m.seq limit 1), 'none')`);
