import { eq } from "drizzle-orm";
import type { Db } from "../../drizzle/client.js";
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
} from "../../drizzle/schema/index.js";

/** Everything a notification's text is made of, read fresh at delivery time. */
export interface NotificationFacts {
  ticket: Ticket;
  category: Category | null;
  requester: User | null;
  assignee: User | null;
  recipient: User | null;
  message: Message | null;
  author: User | null;
  files: Attachment[];
}

async function userById(db: Db, id: string | null): Promise<User | null> {
  if (!id) return null;
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u ?? null;
}

/** null when the ticket is gone (deleted with its notifications' cascade racing the worker). */
export async function loadFacts(db: Db, n: Notification): Promise<NotificationFacts | null> {
  if (!n.ticketId) return null;
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, n.ticketId));
  if (!ticket) return null;
  const [category] = await db.select().from(categories).where(eq(categories.id, ticket.categoryId));
  const [message] = n.messageId ? await db.select().from(messages).where(eq(messages.id, n.messageId)) : [];
  const files = message
    ? await db.select().from(attachments).where(eq(attachments.messageId, message.id))
    : [];
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

export function displayName(
  u: Pick<User, "firstName" | "lastName" | "username"> | null,
  fallback: string,
): string {
  if (!u) return fallback;
  const name = [u.firstName, u.lastName].filter(Boolean).join(" ").trim();
  if (name && u.username) return `${name} (@${u.username})`;
  return name || (u.username ? `@${u.username}` : fallback);
}
