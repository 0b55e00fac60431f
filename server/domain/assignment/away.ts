import { eq } from "drizzle-orm";
import { type User, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isWorker } from "../permissions.js";
import { parseInput } from "../validate.js";
import { setAwaySchema } from "./schemas.js";
import { queueDrainsForAgent } from "./scope.js";

/**
 * A staff member marks themselves away (auto-assignment passes them by; their
 * tickets stay theirs) or available again, which gives the tickets waiting in their
 * scope a turn. Only for oneself (/away and /back in the bot, the Mini App's toggle).
 */
export async function setAway({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  const data = parseInput(setAwaySchema, input);
  const self = ctx.actor.id;
  if (!self) throw new DomainError("UNAUTHENTICATED");
  if (!isWorker(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "user.set_away" });
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const [row] = await tx
      .update(users)
      .set({ away: data.away, updatedAt: now })
      .where(eq(users.id, self))
      .returning();
    if (!row) throw new DomainError("NOT_FOUND", { entity: "user", id: self });
    if (!data.away) await queueDrainsForAgent(tx, row, now);
    return row;
  });
}
