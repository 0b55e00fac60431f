import type { Ticket, TicketStatus } from "../../../drizzle/schema/index.js";
import type { Actor } from "../context.js";
import { DomainError } from "../errors.js";
import { statusAfterRequesterReply } from "../lifecycle.js";
import type { TicketChange } from "../notifications/rules.js";
import { isRequesterOf, worksTicket } from "../permissions.js";
import type { SlaChange } from "../sla/transitions.js";

/**
 * Everything adding a message to a ticket decides, whichever door it came through
 * (the bot's private chat, a staff chat reply or forum topic, the Mini App, the
 * /new wizard) and whichever executor writes it (one statement for the common
 * case, the verb's transaction for the rest): who writes as whom, what the
 * message does to the ticket, and the change the notification rules hear of.
 */
export interface MessageDecision {
  /** The ticket's requester writing publicly (staff who opened a ticket for themselves count). */
  asRequester: boolean;
  /** Staff of the ticket's scope answering or writing a note. */
  asStaff: boolean;
  /** The first public staff answer: first_response_at is set. */
  setsFirstResponse: boolean;
  /** The ticket's SLA clock moves: a staff answer meets a running response target, a requester's message starts the next one. */
  movesSla: SlaChange | null;
  /** The status the message leaves the ticket in (a requester's reply may move or reopen it). */
  nextStatus: TicketStatus;
  /** What the notification rules are told (the recipients follow from it). */
  change(
    messageId: string,
    fileIds: string[],
    originChatId?: number,
  ): Extract<TicketChange, { kind: "message" }>;
}

/**
 * The decision, or the refusal: FORBIDDEN when the actor may not write in the
 * ticket (or not a note), UNAUTHENTICATED without an actor. The ticket must be
 * one the actor may see (callers read it through the scope first).
 */
export function decideMessage(
  actor: Actor,
  ticket: Pick<Ticket, "requesterId" | "branchId" | "assigneeId" | "status" | "firstResponseAt" | "slaClock">,
  input: { internal: boolean },
): MessageDecision {
  const asRequester = isRequesterOf(actor, ticket) && !input.internal;
  const asStaff = !asRequester && worksTicket(actor, ticket);
  if (!asStaff && !asRequester) throw new DomainError("FORBIDDEN", { action: "ticket.add_message" });
  if (input.internal && !asStaff) throw new DomainError("FORBIDDEN", { action: "ticket.add_note" });
  if (actor.id === null) throw new DomainError("UNAUTHENTICATED");
  return {
    asRequester,
    asStaff,
    setsFirstResponse: asStaff && !input.internal && ticket.firstResponseAt === null,
    movesSla: input.internal ? null : slaMove(ticket.slaClock, asRequester),
    nextStatus: asRequester
      ? statusAfterRequesterReply(ticket.status, ticket.assigneeId !== null)
      : ticket.status,
    change: (messageId, fileIds, originChatId) => ({
      kind: "message",
      messageId,
      authorIsRequester: asRequester,
      internal: input.internal,
      fileIds,
      originChatId,
    }),
  };
}

/**
 * Whether a public message moves the clock (stepClock would change it): only then
 * does it take the transaction, so most messages stay on the one-statement path.
 */
function slaMove(clock: Ticket["slaClock"], asRequester: boolean): SlaChange | null {
  if (!clock) return null;
  const first = clock.targets.first_response?.state === "running";
  const next = clock.targets.next_response?.state === "running";
  if (asRequester) return !first && !next ? { kind: "requester_message" } : null;
  return first || next ? { kind: "staff_reply" } : null;
}

/** decideMessage for the one-statement executor: a refusal there means "take the general path". */
export function tryDecideMessage(...args: Parameters<typeof decideMessage>): MessageDecision | null {
  try {
    return decideMessage(...args);
  } catch {
    return null;
  }
}
