import { and, asc, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import { type User, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin } from "../permissions.js";
import { personMatches } from "../search.js";
import { parseInput } from "../validate.js";
import { canListUsers, canManageUser } from "./policy.js";
import { getUserSchema, listUsersSchema } from "./schemas.js";

const MODERATOR_SEES = ["requester", "agent", "auditor", "moderator"] as const;

/**
 * The people screens' list. Admins see everyone. A moderator sees the people of
 * their scope up to their own rank: their branch's requesters, agents, auditors and
 * fellow moderators (colleagues to assign and filter by) and branchless customers
 * (whom they may place in the branch); never admins or owners, nor branchless staff,
 * who serve every branch and are no one branch's to manage.
 */
export async function listUsers({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User[]> {
  const f = parseInput(listUsersSchema, input ?? {});
  if (!canListUsers(ctx.actor)) throw new DomainError("FORBIDDEN", { action: "user.list" });
  const where: (SQL | undefined)[] = [];
  if (!isAdmin(ctx.actor)) {
    where.push(inArray(users.role, MODERATOR_SEES));
    if (ctx.actor.branchId)
      where.push(
        or(eq(users.branchId, ctx.actor.branchId), and(isNull(users.branchId), eq(users.role, "requester"))),
      );
  }
  if (f.role?.length) where.push(inArray(users.role, f.role));
  if (f.branchId) where.push(eq(users.branchId, f.branchId));
  if (f.active !== undefined) where.push(eq(users.isActive, f.active));
  if (f.q) where.push(personMatches(f.q));
  return ctx.db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.firstName), asc(users.id))
    .limit(f.limit)
    .offset(f.offset);
}

/** One user: oneself, or someone the actor manages. */
export async function getUser({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<User> {
  const { userId } = parseInput(getUserSchema, input);
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  const visible = user && (user.id === ctx.actor.id || isAdmin(ctx.actor) || canManageUser(ctx.actor, user));
  if (!visible) throw new DomainError("NOT_FOUND", { entity: "user", id: userId });
  return user;
}
