import type { TicketStatus } from "../../drizzle/schema/index.js";

/**
 * The ticket lifecycle of SPEC §3 as data. Staff move tickets forward and back as
 * real work needs; a requester may only close their ticket or reopen it.
 * Reopening (resolved/closed → open/in_progress) is recorded as a "reopen" event.
 */
const STAFF_MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ["in_progress", "waiting_customer", "resolved", "closed"],
  in_progress: ["open", "waiting_customer", "resolved", "closed"],
  waiting_customer: ["open", "in_progress", "resolved", "closed"],
  resolved: ["open", "in_progress", "closed"],
  closed: ["open", "in_progress"],
};

const REQUESTER_MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ["closed"],
  in_progress: ["closed"],
  waiting_customer: ["closed"],
  resolved: ["open", "closed"],
  closed: ["open"],
};

export type LifecycleParty = "staff" | "requester";

export function canMove(party: LifecycleParty, from: TicketStatus, to: TicketStatus): boolean {
  const table = party === "staff" ? STAFF_MOVES : REQUESTER_MOVES;
  return table[from].includes(to);
}

/** Where staff may move a ticket from this status (for menus; canMove decides). */
export const staffMovesFrom = (from: TicketStatus): TicketStatus[] => [...STAFF_MOVES[from]];

export const isFinished = (s: TicketStatus) => s === "resolved" || s === "closed";

export function isReopen(from: TicketStatus, to: TicketStatus): boolean {
  return isFinished(from) && !isFinished(to);
}

/** Where a ticket goes when its requester writes in it (SPEC §3). */
export function statusAfterRequesterReply(current: TicketStatus, hasAssignee: boolean): TicketStatus {
  if (current === "waiting_customer") return "in_progress";
  if (isFinished(current)) return hasAssignee ? "in_progress" : "open";
  return current;
}
