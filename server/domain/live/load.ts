import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  type LiveChat,
  liveChats,
  type Ticket,
  tickets,
  type User,
  users,
} from "../../../drizzle/schema/index.js";
import { DomainError } from "../errors.js";

export interface LoadedChat {
  chat: LiveChat;
  ticket: Ticket;
  requester: User;
}

/** A live chat with its ticket and requester, the chat row locked for the change. */
export async function loadChatForChange(tx: DbOrTx, chatId: string): Promise<LoadedChat> {
  const [chat] = await tx.select().from(liveChats).where(eq(liveChats.id, chatId)).for("update");
  if (!chat) throw new DomainError("NOT_FOUND", { entity: "live_chat", id: chatId });
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, chat.ticketId));
  const [requester] = await tx.select().from(users).where(eq(users.id, chat.requesterId));
  if (!ticket || !requester) throw new DomainError("NOT_FOUND", { entity: "live_chat", id: chatId });
  return { chat, ticket, requester };
}

export async function userById(tx: DbOrTx, id: string | null): Promise<User | null> {
  if (!id) return null;
  const [u] = await tx.select().from(users).where(eq(users.id, id));
  return u ?? null;
}
