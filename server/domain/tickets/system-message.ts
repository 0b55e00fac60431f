import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type Message, messages, type Ticket, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { writeEvent } from "./shared.js";

/**
 * A message the system writes into a thread (an automation rule's note or canned
 * reply), in the caller's transaction: source "system", its history row and the
 * notices of a staff message. A message needs an author: the ticket's assignee, else
 * the longest-standing active owner or admin. It is not the first response (nobody
 * answered) and moves neither the SLA clock nor the status.
 */
export async function addSystemMessage(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticket: Ticket,
  input: { body: string; internal: boolean },
): Promise<Message> {
  const authorId = ticket.assigneeId ?? (await standInAuthor(tx));
  const now = ctx.clock.now();
  const [message] = await tx
    .insert(messages)
    .values({
      ticketId: ticket.id,
      authorId,
      body: input.body,
      isInternal: input.internal,
      source: "system",
      createdAt: now,
    })
    .returning();
  const eventId = await writeEvent(tx, ctx, ticket.id, input.internal ? "note" : "message", {
    to: message.id,
  });
  await recordTicketNotifications(tx, ctx, ticket, eventId, {
    kind: "message",
    messageId: message.id,
    authorIsRequester: false,
    internal: input.internal,
    fileIds: [],
  });
  return message;
}

async function standInAuthor(tx: DbOrTx): Promise<string> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.role, ["owner", "admin"]), eq(users.isActive, true)))
    .orderBy(asc(users.createdAt))
    .limit(1);
  if (!row) throw new DomainError("CONFLICT", { reason: "no_author_for_system_message" });
  return row.id;
}
