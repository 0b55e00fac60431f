import type { Scenes } from "telegraf";
import { z } from "zod";
import { ATTACHMENT_KINDS } from "../server/domain/index.js";
import { sceneSessionFromLegacy } from "./session-legacy.js";

/**
 * The conversation state of one user in one chat. Only serialisable drafts and
 * ids: it lives in the bot_sessions table (loaded and written back by
 * middlewares/update-state.ts in the update's own round trips), so a restart or
 * another instance continues a half-written ticket at the same step.
 *
 * Its one field is Telegraf's scene session (`__scenes`: the current scene, its
 * state, the wizard's cursor, when it expires), so `Scenes.Stage` works on it as
 * it is. Each scene validates its own state when it reads it (scenes/stage.ts).
 */
export const draftFileSchema = z.object({
  kind: z.enum(ATTACHMENT_KINDS),
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number(),
  /** Absent for a location or a contact, which are no file. */
  tgFileId: z.string().optional(),
  tgFileUniqueId: z.string().optional(),
  meta: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type DraftFile = z.infer<typeof draftFileSchema>;

export const NEW_TICKET_STEPS = [
  "category",
  "title",
  "description",
  "attachments",
  "priority",
  "confirm",
] as const;
export type NewTicketStep = (typeof NEW_TICKET_STEPS)[number];

/** Telegraf's scene session; the wizard keeps its cursor in it. State is JSON, checked per scene. */
export type BotSceneSession = Scenes.WizardSessionData;
const sceneSessionSchema = z.object({
  current: z.string().optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  cursor: z.number().int().min(0).optional(),
  /** Unix seconds (Telegraf's unit): past it, the scene is gone and the next message is new. */
  expires: z.number().optional(),
});

const sessionSchema = z.object({ __scenes: sceneSessionSchema.optional() });
export interface BotSession {
  __scenes?: BotSceneSession;
}

/**
 * Where the session keeps the ticket a plain message replies to, as a PostgreSQL
 * JSON path: the state of the reply-to-ticket scene (scenes/reply-to-ticket.ts).
 * The update's state reads that ticket's facts with it (update-state.ts).
 */
export const REPLY_TICKET_PATH = "{__scenes,state,replyTo}";

export const sessionKey = (chatId: number, userId: number) => `${chatId}:${userId}`;

/** A stored session as the handlers see it; anything unreadable starts afresh. */
export function parseSession(stored: unknown): BotSession {
  const legacy = sceneSessionFromLegacy(stored);
  if (legacy) return legacy;
  const parsed = sessionSchema.safeParse(stored ?? {});
  return parsed.success ? compactSession(parsed.data as BotSession) : {};
}

/**
 * The session without what means nothing: Telegraf leaves an empty `__scenes`
 * (with a cursor) behind when a scene ends or is only looked at. Compared and
 * stored in this form, so looking costs no write.
 */
export function compactSession(session: BotSession): BotSession {
  return session.__scenes?.current ? { __scenes: session.__scenes } : {};
}
