import { z } from "zod";
// A cycle (session.ts uses this file): NEW_TICKET_STEPS is only read inside the function.
import { type BotSession, NEW_TICKET_STEPS } from "./session.js";

/**
 * Sessions written before the conversations were scenes (a draft in `newTicket`
 * with its step, `replyTo`, `pendingText`), as the scene that continues them, so
 * a half-written ticket survives the update that introduced scenes. The scenes'
 * own schemas check the states when they are read (scenes/stage.ts). Remove once
 * no such session can be left (they expire after 24 h like any scene).
 */
const legacySchema = z.object({
  newTicket: z.looseObject({ step: z.string() }).optional(),
  replyTo: z.string().optional(),
  pendingText: z.looseObject({}).optional(),
});

const TTL_SECONDS = 24 * 60 * 60;

export function sceneSessionFromLegacy(stored: unknown): BotSession | null {
  if (typeof stored !== "object" || stored === null || "__scenes" in stored) return null;
  const parsed = legacySchema.safeParse(stored);
  if (!parsed.success) return null;
  const { newTicket, replyTo, pendingText } = parsed.data;
  const expires = Math.floor(Date.now() / 1000) + TTL_SECONDS;
  if (newTicket) {
    const { step, ...draft } = newTicket;
    const cursor = NEW_TICKET_STEPS.indexOf(step as (typeof NEW_TICKET_STEPS)[number]);
    if (cursor < 0) return null;
    return { __scenes: { current: "new-ticket", state: draft, cursor, expires } };
  }
  if (pendingText) return { __scenes: { current: "add-or-new", state: pendingText, cursor: 0, expires } };
  if (replyTo) return { __scenes: { current: "reply-to-ticket", state: { replyTo }, cursor: 0, expires } };
  return null;
}
