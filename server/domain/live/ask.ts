import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../drizzle/client.js";
import { categories, type LiveChat, liveChats, tickets, users } from "../../../drizzle/schema/index.js";
import { isShadowed } from "../abuse/shadow.js";
import { type ServiceContext, silentNotifier } from "../context.js";
import { DomainError } from "../errors.js";
import { createTicket } from "../tickets/create.js";
import { changeEventOf } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { liveOpenNow } from "./hours.js";
import { lockRouting, routeQueue } from "./routing.js";
import { askLiveSchema } from "./schemas.js";

/** The title of a live chat's ticket (data, not interface text: staff may rename it). */
export const LIVE_TICKET_TITLE = "Live chat";

export type AskLiveResult =
  /** Outside business hours: nothing was made; the door offers a normal ticket. */
  | { outcome: "closed_hours" }
  /** The requester's live chat: new, or the one they already have (asking twice makes one). */
  | { outcome: "queued" | "existing"; chat: LiveChat };

/**
 * A requester asks for a live operator. Their chat is a ticket of channel `live`
 * (its thread is the talk, its history the chat's), queued at once and routed in
 * the same transaction: offered to a free operator, else told its position.
 */
export async function askLive({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<AskLiveResult> {
  const data = parseInput(askLiveSchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  // A shadow-banned requester reaches no operator: told what everyone hears when none can take a chat.
  if (isShadowed(ctx)) return { outcome: "closed_hours" };
  const result = await ctx.db.transaction(async (tx): Promise<AskLiveResult> => {
    const [me] = await tx.select().from(users).where(eq(users.id, self)).for("update");
    if (!me?.isActive) throw new DomainError("USER_INACTIVE");
    const [open] = await tx
      .select()
      .from(liveChats)
      .where(and(eq(liveChats.requesterId, self), inArray(liveChats.state, ["queued", "offered", "active"])));
    if (open) return { outcome: "existing", chat: open };
    // Queued times follow the order routing sees the chats in (see lockRouting).
    await lockRouting(tx);
    const now = ctx.clock.now();
    if (!(await liveOpenNow(tx, me.branchId, now))) return { outcome: "closed_hours" };
    const categoryId = data.categoryId ?? (await inheritedCategory(tx as unknown as Db, self));
    if (!categoryId)
      throw new DomainError("VALIDATION", {}, [
        { path: "categoryId", code: "required", message: "required" },
      ]);
    // The ticket is made in this transaction (a savepoint), its change announced after commit.
    const ticket = await createTicket({
      ctx: { ...ctx, db: tx as unknown as Db, notify: silentNotifier },
      input: { title: LIVE_TICKET_TITLE, categoryId, channel: "live" },
    });
    const [chat] = await tx
      .insert(liveChats)
      .values({
        ticketId: ticket.id,
        requesterId: self,
        categoryId,
        branchId: ticket.branchId,
        queuedAt: now,
      })
      .returning();
    await routeQueue(tx, ctx);
    const [after] = await tx.select().from(liveChats).where(eq(liveChats.id, chat.id));
    return { outcome: "queued", chat: after };
  });
  if (result.outcome === "queued") {
    const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, result.chat.ticketId));
    if (ticket) ctx.notify.changed(changeEventOf("ticket.created", ticket));
  }
  return result;
}

/** The category of the requester's latest ticket, else the first active category. */
async function inheritedCategory(tx: Db, requesterId: string): Promise<string | null> {
  const [last] = await tx
    .select({ categoryId: tickets.categoryId })
    .from(tickets)
    .innerJoin(categories, and(eq(categories.id, tickets.categoryId), eq(categories.isActive, true)))
    .where(eq(tickets.requesterId, requesterId))
    .orderBy(desc(tickets.createdAt))
    .limit(1);
  if (last) return last.categoryId;
  const [first] = await tx
    .select({ id: categories.id })
    .from(categories)
    .where(eq(categories.isActive, true))
    .orderBy(asc(categories.sortOrder))
    .limit(1);
  return first?.id ?? null;
}
