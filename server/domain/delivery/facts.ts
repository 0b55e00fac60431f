import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import {
  type Attachment,
  attachments,
  type Category,
  categories,
  type Message,
  messages,
  type Notification,
  type Ticket,
  tickets,
  type User,
  users,
} from "../../../drizzle/schema/index.js";

/** Everything a notification's text is made of, read fresh at delivery time. */
export interface NotificationFacts {
  ticket: Ticket;
  category: Category | null;
  requester: User | null;
  assignee: User | null;
  recipient: User | null;
  message: Message | null;
  author: User | null;
  /**
   * What goes out with the text, in the order given: the message's files, or for a
   * new ticket the files of its opening (the /new wizard's, or the Mini App's form).
   */
  files: Attachment[];
}

async function userById(db: Db, id: string | null): Promise<User | null> {
  if (!id) return null;
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u ?? null;
}

/** The files of one message, or of a ticket's opening (files with no message), in the order given. */
export function filesOf(db: Db, ticketId: string, messageId: string | null): Promise<Attachment[]> {
  const owner = messageId
    ? eq(attachments.messageId, messageId)
    : and(eq(attachments.ticketId, ticketId), isNull(attachments.messageId));
  return db.select().from(attachments).where(owner).orderBy(asc(attachments.seq));
}

/** null when the ticket is gone (deleted with its notifications' cascade racing the worker). */
export async function loadNotificationFacts(db: Db, n: Notification): Promise<NotificationFacts | null> {
  if (!n.ticketId) return null;
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, n.ticketId));
  if (!ticket) return null;
  const [category] = await db.select().from(categories).where(eq(categories.id, ticket.categoryId));
  const [message] = n.messageId ? await db.select().from(messages).where(eq(messages.id, n.messageId)) : [];
  const opening = n.type === "new_ticket" && !n.messageId;
  const files = message || opening ? await filesOf(db, ticket.id, message?.id ?? null) : [];
  return {
    ticket,
    category: category ?? null,
    requester: await userById(db, ticket.requesterId),
    assignee: await userById(db, ticket.assigneeId),
    recipient: await userById(db, n.recipientId),
    message: message ?? null,
    author: await userById(db, message?.authorId ?? null),
    files,
  };
}
