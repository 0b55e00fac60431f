import { type User, users } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import { requireActiveBranch } from "../catalog/active-branch.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validate.js";
import { canGrantRole, canListUsers, canManageUser } from "./policy.js";
import { createUserSchema } from "./schemas.js";

/**
 * Registers a person by Telegram id before they have written to the bot, with the
 * role and branch they are to have (admins: anyone up to their own rank; moderators:
 * requesters and agents of their own branch). When the person later opens the bot
 * or the Mini App, the Telegram upsert only refreshes names, so role, branch and
 * language stay as given here. A Telegram id already known is CONFLICT.
 */
export async function createUser({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  if (!canListUsers(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "user.create" });
  const data = parseInput(createUserSchema, input);
  if (!canGrantRole(ctx.actor, data.role)) throw new DomainError("FORBIDDEN", { action: "user.grant_role" });
  // A moderator's people land in the moderator's branch unless they say otherwise;
  // what they say is held to the same rule as managing an existing account.
  const branchId =
    data.branchId === undefined
      ? ctx.actor.role === "moderator"
        ? ctx.actor.branchId
        : null
      : data.branchId;
  if (!canManageUser(ctx.actor, { id: "", role: data.role, branchId }))
    throw new DomainError("FORBIDDEN", { action: "user.create" });

  return ctx.db.transaction(async (tx) => {
    if (branchId) await requireActiveBranch(tx, branchId);
    // ON CONFLICT DO NOTHING rather than catching the unique violation: on PostgreSQL
    // a failed statement would abort the transaction, and two admins adding the same
    // person at once both get a clean answer (one row, one CONFLICT).
    const [row] = await tx
      .insert(users)
      .values({
        telegramId: data.telegramId,
        firstName: data.firstName,
        lastName: data.lastName ?? null,
        username: data.username ?? null,
        role: data.role,
        branchId,
        language: data.language,
      })
      .onConflictDoNothing({ target: users.telegramId })
      .returning();
    if (!row)
      throw new DomainError("CONFLICT", { reason: "telegram_id_taken" }, [
        { path: "telegramId", code: "taken", message: "taken" },
      ]);
    await writeAudit(tx, ctx.actor, {
      action: "user.create",
      entity: "user",
      entityId: row.id,
      after: {
        telegramId: row.telegramId,
        firstName: row.firstName,
        lastName: row.lastName,
        username: row.username,
        role: row.role,
        branchId: row.branchId,
        language: row.language,
      },
    });
    return row;
  });
}
