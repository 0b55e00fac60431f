import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import {
  attachments,
  type EventKind,
  type Ticket,
  ticketEvents,
  tickets,
} from "../../../drizzle/schema/index.js";
import type { ChangeEvent, ServiceContext } from "../context.js";
import { notFound } from "../errors.js";
import { canSeeTicket } from "../permissions.js";
import { getSetting } from "../settings/store.js";
import { assertAttachmentsAccepted } from "./attachment-policy.js";
import type { AttachmentInput } from "./schemas.js";

/**
 * Loads a ticket the actor may see. A ticket outside the actor's scope is
 * NOT_FOUND, exactly like a missing one, so no door reveals that it exists.
 */
export async function loadVisibleTicket(tx: DbOrTx, ctx: ServiceContext, ticketId: string): Promise<Ticket> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket || !canSeeTicket(ctx.actor, ticket)) throw notFound("ticket", ticketId);
  return ticket;
}

/**
 * The ticket, touched (updated_at = now) and locked for the rest of the
 * transaction, when the actor may see it: one statement where reading and then
 * touching took two. A ticket the actor may not see is untouched in the end:
 * the transaction rolls back with the NOT_FOUND thrown here.
 */
export async function touchVisibleTicket(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticketId: string,
  now: Date,
): Promise<Ticket> {
  const [ticket] = await tx
    .update(tickets)
    .set({ updatedAt: now })
    .where(eq(tickets.id, ticketId))
    .returning();
  if (!ticket || !canSeeTicket(ctx.actor, ticket)) throw notFound("ticket", ticketId);
  return ticket;
}

/** Writes one history row and returns its id (used to key notifications). */
export async function writeEvent(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticketId: string,
  kind: EventKind,
  change: { from?: string | null; to?: string | null; comment?: string | null } = {},
): Promise<string> {
  const [row] = await tx
    .insert(ticketEvents)
    .values({
      ticketId,
      actorId: ctx.actor.id,
      kind,
      fromValue: change.from ?? null,
      toValue: change.to ?? null,
      // A rule's change says which rule made it ("by rule X").
      comment: change.comment ?? (ctx.rule ? `rule:${ctx.rule.name}` : (ctx.because ?? null)),
      createdAt: ctx.clock.now(),
    })
    .returning({ id: ticketEvents.id });
  return row.id;
}

/** Largest attachment accepted: the admin setting, else the configured default. */
export async function maxFileBytes(tx: DbOrTx, ctx: ServiceContext): Promise<number> {
  const mb = await getSetting(tx, "max_file_mb");
  return mb ? Math.round(mb * 1024 * 1024) : ctx.settings.maxFileBytes;
}

export async function insertAttachments(
  tx: DbOrTx,
  ctx: ServiceContext,
  ticketId: string,
  messageId: string | null,
  files: AttachmentInput[],
): Promise<string[]> {
  if (files.length === 0) return [];
  assertAttachmentsAccepted(files, await maxFileBytes(tx, ctx));
  const rows = await tx
    .insert(attachments)
    .values(
      files.map((f) => ({ ...f, ticketId, messageId, uploaderId: ctx.actor.id, createdAt: ctx.clock.now() })),
    )
    .returning({ id: attachments.id });
  return rows.map((r) => r.id);
}

export function changeEventOf(type: ChangeEvent["type"], t: Ticket, internal = false): ChangeEvent {
  return {
    type,
    ticketId: t.id,
    branchId: t.branchId,
    requesterId: t.requesterId,
    assigneeId: t.assigneeId,
    internal,
  };
}
