import { randomUUID } from "node:crypto";
import { and, eq, ne, notInArray } from "drizzle-orm";
import { z } from "zod";
import { tickets, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { parseInput } from "../validate.js";

const reachabilitySchema = z.object({
  telegramId: z.number().int(),
  blocked: z.boolean(),
});

/**
 * Telegram said a user blocked the bot (or came back): a system fact, not an
 * action. The flag stops notifications to them; when it changes, the staff chat
 * of each of their unfinished tickets hears of it, because answers there no
 * longer reach (or reach again) the requester.
 */
export async function markBotBlocked({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<void> {
  const data = parseInput(reachabilitySchema, input);
  await ctx.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ botBlocked: data.blocked })
      .where(and(eq(users.telegramId, data.telegramId), ne(users.botBlocked, data.blocked)))
      .returning();
    if (!user) return; // unknown, or nothing changed: nothing to tell
    const open = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.requesterId, user.id), notInArray(tickets.status, ["resolved", "closed"])));
    // Only a real change gets here (the update above is conditional), so a repeated
    // or redelivered report writes nothing twice: each change can have a key of its own.
    const change = randomUUID();
    for (const ticket of open) {
      await recordTicketNotifications(tx, ctx, ticket, `reach:${change}:${ticket.id}`, {
        kind: "reachability",
        blocked: data.blocked,
      });
    }
  });
}
