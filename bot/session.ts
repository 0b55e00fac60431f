import { z } from "zod";
import { PRIORITIES } from "../server/domain/index.js";

/**
 * The conversation state of one user in one chat. Only serialisable drafts and
 * ids: it lives in the bot_sessions table, so a restart (or another instance)
 * continues a half-written ticket at the same step.
 */
const draftFile = z.object({
  kind: z.enum(["photo", "document", "video", "voice", "audio"]),
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number(),
  tgFileId: z.string(),
  tgFileUniqueId: z.string(),
});
export type DraftFile = z.infer<typeof draftFile>;

export const NEW_TICKET_STEPS = [
  "category",
  "title",
  "description",
  "attachments",
  "priority",
  "confirm",
] as const;
export type NewTicketStep = (typeof NEW_TICKET_STEPS)[number];

const sessionSchema = z.object({
  newTicket: z
    .object({
      step: z.enum(NEW_TICKET_STEPS),
      /** Makes the final create idempotent: a double tap or a redelivery opens one ticket. */
      key: z.string(),
      categoryId: z.string().optional(),
      title: z.string().optional(),
      description: z.string().optional(),
      files: z.array(draftFile).default([]),
      priority: z.enum(PRIORITIES).optional(),
      /** media_group_id of the last album file, so an album gets one answer. */
      album: z.string().optional(),
    })
    .optional(),
  /** The ticket the next plain message goes to (after tapping Reply). */
  replyTo: z.string().optional(),
  /** A message waiting for "add to ticket or open new?" */
  pendingText: z
    .object({
      text: z.string(),
      ticketId: z.string(),
      /** The file it carried, and the message itself, so "add" stores it as sent. */
      file: draftFile.optional(),
      messageId: z.number().optional(),
    })
    .optional(),
});
export type BotSession = z.infer<typeof sessionSchema>;

/**
 * Where the session keeps the ticket a plain message replies to, as a PostgreSQL
 * JSON path: the update's state reads that ticket's facts with it (update-state.ts).
 */
export const REPLY_TICKET_PATH = "{replyTo}";

export const sessionKey = (chatId: number, userId: number) => `${chatId}:${userId}`;

/** A stored session as the handlers see it; anything unreadable starts afresh. */
export function parseSession(stored: unknown): BotSession {
  const parsed = sessionSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}
