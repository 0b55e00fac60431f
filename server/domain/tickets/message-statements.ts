import { eq, getTableColumns, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../../drizzle/client.js";
import { branches, messages, settings, tickets, users } from "../../../drizzle/schema/index.js";
import { preparedPerDb } from "../prepared.js";

/**
 * The two statements of addTicketMessage's common case (one-statement.ts),
 * prepared once per database (prepared.ts): they run for every message of every ticket.
 */
const ph = sql.placeholder;

/** Every column of a table, read from a CTE that returns that table's rows. */
function columnsOf<T extends typeof tickets | typeof messages>(cte: object, table: T) {
  const keys = Object.keys(getTableColumns(table));
  const fields = cte as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, fields[k]])) as ReturnType<typeof getTableColumns<T>>;
}

function prepare(db: Db) {
  const assignee = alias(users, "assignee");
  const requester = alias(users, "requester");
  // The ticket with everything the verb decides from: its people and its staff chat.
  const read = db
    .select({
      ticket: tickets,
      assignee,
      requester,
      branchChat:
        sql`(select ${branches.staffChatId} from ${branches} where ${branches.id} = ${tickets.branchId})`.mapWith(
          branches.staffChatId,
        ),
      setting:
        sql`(select ${settings.value} from ${settings} where ${settings.key} = 'staff_chat_id')`.mapWith(
          settings.value,
        ),
    })
    .from(tickets)
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(requester, eq(requester.id, tickets.requesterId))
    .where(eq(tickets.id, ph("ticketId")))
    .prepare("message_ticket_read");

  // Locks the ticket if it still holds what was read (FOR UPDATE checks the newest version).
  const still = db.$with("still", { id: sql<string>`id` }).as(
    sql`select id from ${tickets} where id = ${ph("ticketId")}::uuid and status = ${ph("status")}::ticket_status
      and requester_id = ${ph("requesterId")}::uuid
      and assignee_id is not distinct from ${ph("assigneeId")}::uuid
      and branch_id is not distinct from ${ph("branchId")}::uuid for update`,
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
  // No row back: the ticket changed since it was read, or the message was stored already.
  const write = db
    .with(still, message, touched, event, outbox)
    .select({ ticket: columnsOf(touched, tickets), message: columnsOf(message, messages) })
    .from(message)
    .innerJoin(touched, sql`true`)
    .prepare("message_write");
  return { read, write };
}

export const messageStatements = preparedPerDb(prepare);
