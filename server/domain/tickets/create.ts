import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { categories, type Ticket, tickets, type User, users } from "../../../drizzle/schema/index.js";
import { isShadowed, pretendTicket } from "../abuse/shadow.js";
import { queueTicketAssignment } from "../assignment/scope.js";
import { queueAutomation } from "../automation/queue.js";
import { requireActiveBranch } from "../catalog/active-branch.js";
import type { Actor, ServiceContext } from "../context.js";
import { isUniqueViolation } from "../db-errors.js";
import { DomainError, notFound } from "../errors.js";
import { recordTicketNotifications } from "../notifications/record.js";
import { canSeeTicket, isAdmin, isSystem, staffCoversBranch, worksTicket } from "../permissions.js";
import { followSla } from "../sla/follow.js";
import { parseInput } from "../validate.js";
import { nextTicketNumber } from "./numbering.js";
import { createTicketSchema } from "./schemas.js";

type CreateTicketData = z.output<typeof createTicketSchema>;

import { changeEventOf, insertAttachments, writeEvent } from "./shared.js";

/**
 * Opens a ticket. A requester opens their own; staff may open one on behalf of a
 * user in their scope. Retrying with the same idempotency key returns the ticket
 * the first call made instead of a second one.
 */
export async function createTicket({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<Ticket> {
  const data = parseInput(createTicketSchema, input);
  const actor = ctx.actor;
  if (actor.id === null && !isSystem(actor)) throw new DomainError("UNAUTHENTICATED");
  const requesterId = data.requesterId ?? actor.id;
  if (!requesterId) throw new DomainError("VALIDATION", {}, [issue("requesterId", "required")]);

  if (data.idempotencyKey) {
    const [existing] = await ctx.db
      .select()
      .from(tickets)
      .where(eq(tickets.idempotencyKey, data.idempotencyKey));
    // A retry gets its ticket back, but only someone who may see it: a key is no key to others' tickets.
    if (existing && existing.requesterId === requesterId && canSeeTicket(actor, existing)) return existing;
    if (existing && existing.requesterId === requesterId) throw notFound("ticket", existing.id);
    if (existing) throw new DomainError("CONFLICT", { reason: "idempotency_key_reused" });
  }

  const ticket = await insertTicket(ctx, data, requesterId).catch(async (e) => {
    // Two retries of one create racing: the loser returns the winner's ticket.
    if (!data.idempotencyKey || !isUniqueViolation(e)) throw e;
    const [existing] = await ctx.db
      .select()
      .from(tickets)
      .where(eq(tickets.idempotencyKey, data.idempotencyKey));
    if (!existing) throw e;
    return existing;
  });
  if (!isShadowed(ctx)) ctx.notify.changed(changeEventOf("ticket.created", ticket));
  return ticket;
}

/**
 * Staff file tickets for the people of their scope (admins for anyone): the
 * ticket's branch and the person must both be theirs — choosing one's own branch
 * is no way to file in anybody's name.
 */
function mayFileFor(actor: Actor, requester: User, branchId: string | null): boolean {
  if (isSystem(actor) || isAdmin(actor)) return true;
  if (!worksTicket(actor, { requesterId: requester.id, branchId })) return false;
  const personInScope = requester.branchId === null || staffCoversBranch(actor, requester.branchId);
  return requester.role === "requester" && personInScope;
}

async function insertTicket(
  ctx: ServiceContext,
  data: CreateTicketData,
  requesterId: string,
): Promise<Ticket> {
  const actor = ctx.actor;
  return ctx.db.transaction(async (tx) => {
    const [requester] = await tx.select().from(users).where(eq(users.id, requesterId));
    if (!requester) throw new DomainError("VALIDATION", {}, [issue("requesterId", "unknown_user")]);
    if (!requester.isActive) throw new DomainError("USER_INACTIVE");
    const branchId = data.branchId === undefined ? requester.branchId : data.branchId;

    const onBehalf = requesterId !== actor.id;
    if (onBehalf && !mayFileFor(actor, requester, branchId)) {
      throw new DomainError("FORBIDDEN", { action: "ticket.create_for_other" });
    }
    // A requester bound to a branch files there; one without a branch (a customer)
    // may pick the branch the request is about.
    const ownBranchOnly = requester.branchId !== null && branchId !== requester.branchId;
    if (!onBehalf && ownBranchOnly && !worksTicket(actor, { requesterId, branchId })) {
      throw new DomainError("FORBIDDEN", { action: "ticket.create_in_branch" });
    }
    if (branchId) await requireActiveBranch(tx, branchId);

    const [category] = await tx
      .select()
      .from(categories)
      .where(and(eq(categories.id, data.categoryId), eq(categories.isActive, true)));
    if (!category) throw new DomainError("VALIDATION", {}, [issue("categoryId", "unknown_category")]);

    // A shadow-banned requester is answered as if the ticket was opened; nothing is kept.
    if (isShadowed(ctx) && !onBehalf) return pretendTicket(tx, ctx, data, requesterId, branchId);
    const now = ctx.clock.now();
    const [inserted] = await tx
      .insert(tickets)
      .values({
        number: await nextTicketNumber(tx, now, ctx.settings.timeZone),
        title: data.title,
        description: data.description,
        priority: data.priority,
        categoryId: data.categoryId,
        branchId,
        requesterId,
        idempotencyKey: data.idempotencyKey ?? null,
        channel: data.channel,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    // The SLA clock starts with the ticket (its policy, due times and first check).
    const { ticket: row } = await followSla(tx, inserted, { kind: "created" }, now);
    const fileIds = await insertAttachments(tx, ctx, row.id, null, data.attachments);
    const eventId = await writeEvent(tx, ctx, row.id, "created", { to: row.status });
    await recordTicketNotifications(tx, ctx, row, eventId, { kind: "created", fileIds });
    await queueAutomation(tx, ctx, { ticketId: row.id, event: "ticket_created" });
    // A live chat is routed to an online operator by server/domain/live, not auto-assigned.
    if (row.channel !== "live") await queueTicketAssignment(tx, row, now);
    return row;
  });
}

function issue(path: string, code: string) {
  return { path, code, message: code };
}
