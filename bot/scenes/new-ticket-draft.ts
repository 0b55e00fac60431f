import { randomUUID } from "node:crypto";
import { z } from "zod";
import { PRIORITIES } from "../../server/domain/index.js";
import { draftFileSchema } from "../session.js";

/**
 * The /new wizard's state: what the person answered so far. Plain JSON in the
 * session, read through this schema, so a draft written by an older version
 * that no longer fits ends the conversation with a notice, not an error.
 */
export const newTicketDraftSchema = z.object({
  /** Makes the final create idempotent: a double tap or a redelivery opens one ticket. */
  key: z.string().min(1),
  categoryId: z.uuid().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  files: z.array(draftFileSchema).default([]),
  priority: z.enum(PRIORITIES).optional(),
  /** media_group_id of the last album file, so an album gets one answer. */
  album: z.string().optional(),
});
export type NewTicketDraft = z.infer<typeof newTicketDraftSchema>;

/** A fresh draft for someone; a deep link may have picked the category already. */
export const newDraft = (userId: string, categoryId?: string): NewTicketDraft => ({
  key: `bot:${userId}:${randomUUID()}`,
  files: [],
  ...(categoryId ? { categoryId } : {}),
});
