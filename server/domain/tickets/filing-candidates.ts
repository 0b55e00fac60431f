import { and, asc, eq, isNull, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { type User, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { isAdmin, isWorker } from "../permissions.js";
import { personMatches } from "../search.js";
import { parseInput } from "../validate.js";

const candidatesSchema = z.object({
  // A name to look for, not a way to page through the whole directory of customers.
  q: z.string().trim().min(2).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export type FilingCandidate = Pick<User, "id" | "firstName" | "lastName" | "username" | "branchId">;

/**
 * The people a staff member may open a ticket for (createTicket's rule for
 * filing on someone's behalf): active requesters, of the actor's branch or of
 * none, or anyone's for admins and branchless staff. Agents may not list users,
 * but they take the phone call, so they get this narrow list instead, and only
 * the fields a picker shows. createTicket checks everything again on use.
 */
export async function listFilingCandidates({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<FilingCandidate[]> {
  const actor = ctx.actor;
  if (!isWorker(actor)) throw new DomainError("FORBIDDEN", { action: "ticket.create_for_other" });
  const f = parseInput(candidatesSchema, input ?? {});
  const where: (SQL | undefined)[] = [eq(users.role, "requester"), eq(users.isActive, true)];
  if (!isAdmin(actor) && actor.branchId !== null)
    where.push(or(eq(users.branchId, actor.branchId), isNull(users.branchId)));
  where.push(personMatches(f.q));
  return ctx.db
    .select({
      id: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      username: users.username,
      branchId: users.branchId,
    })
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.firstName), asc(users.id))
    .limit(f.limit);
}
