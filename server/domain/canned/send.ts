import { eq } from "drizzle-orm";
import { branches, type CannedReply, cannedReplies, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { notFound } from "../errors.js";
import { type AddMessageResult, addTicketMessage } from "../tickets/add-message.js";
import type { AttachmentInput } from "../tickets/schemas.js";
import { loadVisibleTicket } from "../tickets/shared.js";
import { parseInput } from "../validate.js";
import { mayUse, requireCannedUser } from "./access.js";
import { type RenderedCannedReply, renderCannedReply } from "./render.js";
import { previewCannedReplySchema, sendCannedReplySchema } from "./schemas.js";

/** The reply and the ticket's facts its placeholders need, read as the actor may see them. */
async function loadForTicket(ctx: ServiceContext, ticketId: string, cannedReplyId: string) {
  const ticket = await loadVisibleTicket(ctx.db, ctx, ticketId);
  const [reply] = await ctx.db.select().from(cannedReplies).where(eq(cannedReplies.id, cannedReplyId));
  if (!reply || !mayUse(ctx.actor, reply, ticket.branchId)) throw notFound("canned_reply", cannedReplyId);
  const [requester] = await ctx.db
    .select({ firstName: users.firstName, lastName: users.lastName, language: users.language })
    .from(users)
    .where(eq(users.id, ticket.requesterId));
  const [agent] = ctx.actor.id
    ? await ctx.db.select({ firstName: users.firstName }).from(users).where(eq(users.id, ctx.actor.id))
    : [];
  const [branch] = ticket.branchId
    ? await ctx.db.select({ name: branches.name }).from(branches).where(eq(branches.id, ticket.branchId))
    : [];
  const language = requester?.language ?? null;
  const rendered = renderCannedReply(reply, {
    language,
    ticket,
    requester: requester ?? null,
    agent: agent ?? null,
    branch: branch ? { name: branch.name[language ?? "fa"] ?? branch.name.fa } : null,
  });
  return { reply, rendered };
}

/** A canned reply's files as a message's attachments: Telegram files by id, stored ones by path. */
export function cannedAttachments(reply: CannedReply): AttachmentInput[] {
  return reply.files.map((f) => ({
    kind: f.kind as AttachmentInput["kind"],
    fileName: f.fileName,
    mimeType: f.mimeType,
    sizeBytes: f.sizeBytes,
    ...(f.tgFileId ? { tgFileId: f.tgFileId } : {}),
    ...(f.storagePath ? { storagePath: f.storagePath } : {}),
  }));
}

/** What a canned reply would say on this ticket (the composer's preview); the same render as sending. */
export async function previewCannedReply({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<RenderedCannedReply> {
  requireCannedUser(ctx.actor, "canned_reply.read");
  const { ticketId, cannedReplyId } = parseInput(previewCannedReplySchema, input);
  return (await loadForTicket(ctx, ticketId, cannedReplyId)).rendered;
}

/**
 * Sends a canned reply on a ticket as the actor: rendered for the ticket's requester
 * and added with its files through addTicketMessage, the one way a message is
 * written (its rules — who may reply, first response, status — apply unchanged).
 */
export async function sendCannedReply({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<AddMessageResult> {
  requireCannedUser(ctx.actor, "canned_reply.send");
  const data = parseInput(sendCannedReplySchema, input);
  const { reply, rendered } = await loadForTicket(ctx, data.ticketId, data.cannedReplyId);
  return addTicketMessage({
    ctx,
    input: {
      ticketId: data.ticketId,
      body: rendered.body,
      internal: data.internal,
      source: data.source,
      attachments: cannedAttachments(reply),
      origin: data.origin,
    },
  });
}
