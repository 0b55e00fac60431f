import { eq, getTableColumns, isNotNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../../drizzle/client.js";
import {
  automationRules,
  branches,
  messages,
  scheduledJobs,
  settings,
  type Ticket,
  tickets,
  type User,
  users,
} from "../../../drizzle/schema/index.js";
import { columnsOf, preparedPerDb } from "../prepared.js";

/**
 * The two statements of addTicketMessage's common case (one-statement.ts),
 * prepared once per database (prepared.ts): they run for every message of every ticket.
 */
const ph = sql.placeholder;

/**
 * The facts addTicketMessage decides from (one-statement.ts): the ticket, its assignee
 * and requester, and the staff chat candidates, as fields and left joins that another
 * statement can carry. The bot reads them with each private message's update state, for
 * the ticket its session replies to, which saves the reply a round trip of its own.
 */
export function messageFactsSelection(ticketId: SQL) {
  const ticket = alias(tickets, "facts_ticket");
  const assignee = alias(users, "facts_assignee");
  const requester = alias(users, "facts_requester");
  return {
    fields: {
      factsTicket: ticket,
      factsAssignee: assignee,
      factsRequester: requester,
      factsBranchChat:
        sql`(select ${branches.staffChatId} from ${branches} where ${branches.id} = ${ticket.branchId})`.mapWith(
          branches.staffChatId,
        ),
      factsSetting:
        sql`(select ${settings.value} from ${settings} where ${settings.key} = 'staff_chat_id')`.mapWith(
          settings.value,
        ),
      // Whether a message must queue automation rules (queue.ts), with the facts and at no extra cost.
      factsMessageRules: sql`exists (select 1 from ${automationRules}
          where ${automationRules.active} and ${automationRules.event} = 'message_created')`.mapWith(
        (v) => v === true || v === "t",
      ),
    },
    joins: [
      { table: ticket, on: eq(ticket.id, ticketId) },
      { table: assignee, on: eq(assignee.id, ticket.assigneeId) },
      { table: requester, on: eq(requester.id, ticket.requesterId) },
    ],
  };
}

/** The row those fields give (null ticket: no such ticket, or nothing was asked). */
export interface MessageFactsRow {
  factsTicket: Ticket | null;
  factsAssignee: User | null;
  factsRequester: User | null;
  factsBranchChat: number | null;
  factsSetting: unknown;
  factsMessageRules: boolean;
}

/**
 * A row of a statement that carries the facts, typed as it is: drizzle cannot follow
 * joins added by joinMessageFacts and types their tables' fields as never, which
 * would let any use of them pass unchecked.
 */
export const withFactsTyped = <R extends object>(row: R) =>
  row as unknown as Omit<R, keyof MessageFactsRow> & MessageFactsRow;

/** Adds the facts' joins to a select that has their fields. */
export function joinMessageFacts<Q extends { leftJoin: (table: never, on: SQL) => Q }>(
  query: Q,
  selection: ReturnType<typeof messageFactsSelection>,
): Q {
  return selection.joins.reduce((q, j) => q.leftJoin(j.table as never, j.on), query);
}

function prepare(db: Db) {
  // The ticket with everything the verb decides from: its people and its staff chat.
  const facts = messageFactsSelection(sql`${ph("ticketId")}::uuid`);
  const read = joinMessageFacts(db.select(facts.fields).from(sql`(values (1)) as one`).$dynamic(), facts)
    .where(isNotNull(facts.fields.factsTicket.id))
    .prepare("message_ticket_read");

  // Locks the ticket, then goes on only if it still holds what was read (FOR UPDATE
  // returns the newest version). The lock finds the row by its key alone: with the other
  // conditions beside the key, the generic plan of this prepared statement picked the
  // status or requester index when the table had no statistics yet, and walked every
  // ticket of that status or requester. `offset 0` keeps the planner from pushing the
  // outer conditions down into the locking query.
  const still = db.$with("still", { id: sql<string>`id` }).as(
    sql`select id from (select id, status, requester_id, assignee_id, branch_id, sla_clock from ${tickets}
        where id = ${ph("ticketId")}::uuid offset 0 for update) as locked
      where status = ${ph("status")}::ticket_status and requester_id = ${ph("requesterId")}::uuid
      and assignee_id is not distinct from ${ph("assigneeId")}::uuid
      and branch_id is not distinct from ${ph("branchId")}::uuid
      and sla_clock is not distinct from ${ph("slaClock")}::text::jsonb`,
  );
  // A Telegram message is stored once (unique origin): a redelivered one inserts nothing here.
  const message = db.$with("message", getTableColumns(messages)).as(
    sql`insert into ${messages} (id, ticket_id, author_id, body, is_internal, source, tg_chat_id, tg_message_id, created_at)
      select ${ph("messageId")}::uuid, id, ${ph("authorId")}::uuid, ${ph("body")}::text, ${ph("internal")}::boolean,
        ${ph("source")}::text, ${ph("tgChatId")}::bigint, ${ph("tgMessageId")}::integer, ${ph("now")}::timestamptz
      from still
      on conflict (tg_chat_id, tg_message_id) where tg_message_id is not null do nothing
      returning *`,
  );
  const touched = db.$with("touched").as(
    db
      .update(tickets)
      .set({ updatedAt: sql`${ph("now")}::timestamptz` })
      .where(sql`${tickets.id} = (select ticket_id from message)`)
      .returning(),
  );
  const event = db.$with("event", { id: sql<string>`id` }).as(
    sql`insert into ticket_events (id, ticket_id, actor_id, kind, to_value, created_at)
      select ${ph("eventId")}::uuid, ticket_id, author_id, ${ph("kind")}::event_kind, id::text, ${ph("eventAt")}::timestamptz
      from message returning id`,
  );
  const outbox = db.$with("outbox", { id: sql<string>`id` }).as(
    sql`insert into notifications (recipient_id, chat_id, ticket_id, message_id, type, payload, state, last_error, idempotency_key)
      select r.recipient_id, r.chat_id, r.ticket_id, r.message_id, r.type, r.payload, r.state, r.last_error, r.idempotency_key
      from jsonb_to_recordset(${ph("outbox")}::text::jsonb) as r(recipient_id uuid, chat_id bigint, ticket_id uuid,
        message_id uuid, type notification_type, payload jsonb, state delivery_state, last_error text, idempotency_key text)
      where exists (select 1 from event)
      on conflict do nothing returning id`,
  );
  // The automation job of the message (automation/queue.ts's key and payload), when rules listen to messages.
  const job = db.$with("job", { key: sql<string>`key` }).as(
    sql`insert into ${scheduledJobs} (key, kind, payload, state, run_at)
      select 'automation:message:' || id::text, 'automation',
        jsonb_build_object('ticketId', ticket_id, 'event', 'message_created', 'messageId', id, 'changedBy', author_id),
        'pending', ${ph("now")}::timestamptz
      from message where ${ph("automation")}::boolean and not is_internal
      on conflict (key) do nothing returning key`,
  );
  // No row back: the ticket changed since it was read, or the message was stored already.
  const write = db
    .with(still, message, touched, event, outbox, job)
    .select({ ticket: columnsOf(touched, tickets), message: columnsOf(message, messages) })
    .from(message)
    .innerJoin(touched, sql`true`)
    .prepare("message_write");
  return { read, write };
}

export const messageStatements = preparedPerDb(prepare);
