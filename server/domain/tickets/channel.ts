/**
 * A ticket's channel in reports and in the queue's filter: where its requester first
 * wrote in it — `bot` (private chat), `miniapp`, `staff_chat` — or `none` when only
 * the opening form's description exists. Tickets do not store the door they were
 * opened through, so this is the closest honest answer (docs/REPORTS.md "Channel").
 */
export const TICKET_CHANNELS = ["bot", "miniapp", "staff_chat", "none"] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/*
 * Stored in `tickets.requester_channel`: its one definition is the SQL function
 * `ticket_requester_channel` (the source of the requester's first public message),
 * kept in the column by triggers on messages and tickets (migration
 * `report_group_rollups_triggers`), so neither the queue's filter nor a report runs a
 * subquery per ticket. The rollups keep its groups (`report_group_rollup`).
 */
