import { randomUUID } from "node:crypto";
import type { Message, Ticket, User } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { notificationRows, pickStaffChat, receivedRow } from "../notifications/record.js";
import type { Audience } from "../notifications/rules.js";
import { canSeeTicket } from "../permissions.js";
import { tryDecideMessage } from "./message-decision.js";
import { type MessageFactsRow, messageStatements, withFactsTyped } from "./message-statements.js";
import type { addMessageSchema } from "./schemas.js";

type MessageData = (typeof addMessageSchema)["_output"];

/** What addTicketMessage decides from, read in one statement without a lock. */
export interface MessageFacts {
  ticket: Ticket;
  assignee: User | null;
  requester: User | null;
  staffChat: number | null;
  /** An active rule listens to messages: the write queues its automation job. */
  messageRules: boolean;
}

export async function readMessageFacts(ctx: ServiceContext, ticketId: string): Promise<MessageFacts | null> {
  const [row] = await messageStatements(ctx.db).read.execute({ ticketId });
  return row ? messageFactsOf(ctx, withFactsTyped(row)) : null;
}

/** The facts from a row of messageFactsSelection's fields (read by this statement or another's). */
export function messageFactsOf(ctx: ServiceContext, row: MessageFactsRow): MessageFacts | null {
  if (!row.factsTicket) return null;
  return {
    ticket: row.factsTicket,
    assignee: row.factsAssignee,
    requester: row.factsRequester,
    staffChat: pickStaffChat(ctx, row.factsBranchChat, row.factsSetting),
    messageRules: row.factsMessageRules === true,
  };
}

/**
 * addTicketMessage's common case — a text message that changes nothing else
 * about the ticket — in two statements and no transaction: the read above, then
 * one statement that locks the ticket if it still holds what the decisions were
 * made from, and writes the message, its history row and its outbox rows, and
 * touches the ticket. A reply took seven round trips before (begin, touch, message,
 * event, staff chat, outbox, commit), each statement built anew.
 *
 * null: not the common case, or the ticket changed after it was read, or the
 * message is stored already. Nothing was written then, and the caller takes the
 * general path, which also gives every refusal. The rules are the same functions
 * the general path uses; this only saves round trips.
 */
export async function addMessageInOneStatement(
  ctx: ServiceContext,
  data: MessageData,
  known?: MessageFacts | null,
): Promise<{ message: Message; ticket: Ticket } | null> {
  if (data.attachments.length > 0 || data.origin?.mediaGroupId || ctx.actor.id === null) return null;
  // Facts read earlier in the same update (the bot's update state) stand in for the read;
  // the write checks under its lock that the ticket still holds them.
  const facts = known?.ticket.id === data.ticketId ? known : await readMessageFacts(ctx, data.ticketId);
  if (!facts) return null;
  return writeMessageInOneStatement(ctx, data, facts);
}

/** The write, given facts read earlier (exported so a test can hand it stale ones). */
export async function writeMessageInOneStatement(
  ctx: ServiceContext,
  data: MessageData,
  facts: MessageFacts,
): Promise<{ message: Message; ticket: Ticket } | null> {
  const { ticket } = facts;
  const actorId = ctx.actor.id;
  if (actorId === null || !canSeeTicket(ctx.actor, ticket)) return null;
  const decision = tryDecideMessage(ctx.actor, ticket, data);
  // A refusal, a first staff answer, a reply that moves the SLA clock or the status go the general way.
  if (!decision || decision.setsFirstResponse || decision.movesSla || decision.nextStatus !== ticket.status)
    return null;

  const now = ctx.clock.now();
  const messageId = randomUUID();
  const eventId = randomUUID();
  let known = true;
  const usersOf = (audience: Exclude<Audience, { to: "staff_chat" }>): User[] => {
    const user =
      audience.to === "requester"
        ? facts.requester
        : audience.to === "user" && audience.userId === ticket.assigneeId
          ? facts.assignee
          : undefined;
    if (user === undefined) known = false;
    return user ? [user] : [];
  };
  const rows = await notificationRows(
    ctx,
    ticket,
    eventId,
    decision.change(messageId, [], data.origin?.chatId),
    { staffChat: () => facts.staffChat, users: usersOf },
  );
  if (!known) return null; // an audience this read does not hold
  if (data.acknowledge && data.origin)
    rows.push(receivedRow(ctx, ticket, eventId, messageId, data.internal, data.origin.chatId));

  const [written] = await messageStatements(ctx.db).write.execute({
    ticketId: ticket.id,
    status: ticket.status,
    requesterId: ticket.requesterId,
    assigneeId: ticket.assigneeId,
    branchId: ticket.branchId,
    // The SLA clock decided whether the message moves it (a staff answer meanwhile may have).
    slaClock: ticket.slaClock === null ? null : JSON.stringify(ticket.slaClock),
    messageId,
    authorId: actorId,
    body: data.body,
    internal: data.internal,
    source: data.source,
    tgChatId: data.origin?.chatId ?? null,
    tgMessageId: data.origin?.messageId ?? null,
    now: now.toISOString(),
    eventId,
    kind: data.internal ? "note" : "message",
    eventAt: ctx.clock.now().toISOString(),
    automation: facts.messageRules && !data.internal,
    outbox: JSON.stringify(
      rows.map((r) => ({
        recipient_id: r.recipientId ?? null,
        chat_id: r.chatId,
        ticket_id: r.ticketId,
        message_id: r.messageId,
        type: r.type,
        payload: r.payload,
        // The table's default, which an insert from a record set does not apply.
        state: r.state ?? "pending",
        last_error: r.lastError ?? null,
        idempotency_key: r.idempotencyKey,
      })),
    ),
  });
  return written ?? null;
}
