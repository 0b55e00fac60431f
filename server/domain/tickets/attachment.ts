import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Attachment, attachments, messages } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { notFound } from "../errors.js";
import { canSeeInternal } from "../permissions.js";
import { parseInput } from "../validate.js";
import { loadVisibleTicket } from "./shared.js";

/** One attachment, if the actor may see its ticket (and, for a note's file, notes). */
export async function getAttachment({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: unknown;
}): Promise<Attachment> {
  const { attachmentId } = parseInput(z.object({ attachmentId: z.uuid() }), input);
  const [file] = await ctx.db.select().from(attachments).where(eq(attachments.id, attachmentId));
  if (!file) throw notFound("attachment", attachmentId);
  await loadVisibleTicket(ctx.db, ctx, file.ticketId);
  if (file.messageId) {
    const [message] = await ctx.db.select().from(messages).where(eq(messages.id, file.messageId));
    if (message?.isInternal && !canSeeInternal(ctx.actor)) throw notFound("attachment", attachmentId);
  }
  return file;
}
