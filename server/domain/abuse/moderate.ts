import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { type ModerationState, type User, users } from "../../../drizzle/schema/index.js";
import { writeAudit } from "../audit.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { canAssignOthers, requireRole } from "../permissions.js";
import { loadVisibleTicket } from "../tickets/shared.js";
import { loadManagedUser } from "../users/policy.js";
import { parseInput } from "../validate.js";
import { moderateRequesterSchema, moderateUserSchema } from "./schemas.js";

/**
 * Bans, shadow-bans or clears a user. Moderators and admins only (canAssignOthers
 * is exactly those), and only users they manage (users/policy.ts: a moderator
 * their branch's requesters and agents, an admin anyone not above them). Only
 * requesters can be banned: staff who misbehave are switched off (setUserActive).
 * Audited with the state before and after; a new ban forgets an earlier notice,
 * so the banned user is told once more.
 */
export async function moderateUser({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  requireRole(ctx.actor, canAssignOthers(ctx.actor), "user.moderate");
  const data = parseInput(moderateUserSchema, input);
  return ctx.db.transaction(async (tx) => {
    const target = await loadManagedUser(tx, ctx.actor, data.userId);
    return applyModeration(tx, ctx, target, data.state, data.reason);
  });
}

/**
 * The same for the requester of a ticket (the staff card in a staff chat): the
 * ticket must be in the actor's scope (NOT_FOUND otherwise, as everywhere).
 */
export async function moderateTicketRequester({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<User> {
  requireRole(ctx.actor, canAssignOthers(ctx.actor), "user.moderate");
  const data = parseInput(moderateRequesterSchema, input);
  return ctx.db.transaction(async (tx) => {
    const ticket = await loadVisibleTicket(tx, ctx, data.ticketId);
    const target = await loadManagedUser(tx, ctx.actor, ticket.requesterId);
    return applyModeration(tx, ctx, target, data.state, data.reason);
  });
}

async function applyModeration(
  tx: DbOrTx,
  ctx: ServiceContext,
  target: User,
  state: ModerationState,
  reason: string | undefined,
): Promise<User> {
  if (target.role !== "requester") throw new DomainError("FORBIDDEN", { action: "user.moderate_staff" });
  if (target.id === ctx.actor.id) throw new DomainError("FORBIDDEN", { action: "user.moderate_self" });
  if (target.moderation === state) return target;
  const [row] = await tx
    .update(users)
    .set({ moderation: state, banNoticeAt: null, updatedAt: ctx.clock.now() })
    .where(eq(users.id, target.id))
    .returning();
  await writeAudit(tx, ctx.actor, {
    action: `user.moderate.${state}`,
    entity: "user",
    entityId: target.id,
    before: { moderation: target.moderation },
    after: { moderation: state, ...(reason ? { reason } : {}) },
  });
  return row;
}

/**
 * Marks that a banned user was told so, once: true for the one caller that
 * set it (two instances handling two of their updates at once tell them once).
 */
export async function claimBanNotice(db: DbOrTx, userId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ banNoticeAt: now })
    .where(and(eq(users.id, userId), eq(users.moderation, "banned"), isNull(users.banNoticeAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}
