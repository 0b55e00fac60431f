import type { Probe } from "../../domain/delivery/send-scope.js";

/** What Telegram's facts say about a part whose answer was lost. */
export type Verdict =
  | { kind: "delivered"; messageId: number }
  | { kind: "not_delivered" }
  | { kind: "in_doubt"; reason: string };

/** The intent being decided: where, after which known message, with what markup. */
export interface InDoubtPart {
  chatId: number;
  afterMessageId: number | null;
  markup: unknown;
}

/** Most ids probed past the last known one before giving up (each probe is a Bot API call). */
export const MAX_PROBES = 12;
/** Consecutive ids without a message that mark the chat's end (a user may delete a message or two). */
export const FRONTIER_MISSES = 3;

/**
 * Decides from Telegram's side whether an unanswered send arrived, without
 * sending it. In a private chat message ids are sequential and shared by both
 * sides, so if it arrived it is one of the ids after the chat's last known one
 * (`afterMessageId`, written with the intent). Each candidate is probed with an
 * edit to the very markup the send carried (bot/delivery/telegram-call.ts
 * probeMessage), in order:
 *
 * - "not modified": a bot message with exactly that markup: the send arrived there.
 * - "not editable": the user's own message: look further.
 * - "not found" FRONTIER_MISSES times in a row: past the chat's last message, so
 *   the send never arrived and is sent now.
 * - "modified": a bot message the ledger did not know (a reply the bot made in the
 *   conversation, outside the outbox) stood in the way and the probe changed its
 *   buttons. Stop: nothing further is probed and nothing is re-sent (in doubt).
 *
 * Undecided (no known message in the chat, too many ids to look through, a
 * foreign bot message in the way) is "in doubt": the row fails visibly rather
 * than possibly reaching the requester twice.
 *
 * Groups are not probed: many people and the bot's own replies post there, ids
 * race past quickly, and a staff chat reading an update twice is better than
 * missing it. The part is sent again (at-least-once), as before the ledger.
 */
export async function reconcilePart(part: InDoubtPart, probe: Probe): Promise<Verdict> {
  if (part.chatId < 0) return { kind: "not_delivered" };
  // With no message of the chat on record the candidates start at the chat's first
  // message: the user's /start and the bot's conversation, which a probe would edit.
  if (part.afterMessageId === null)
    return { kind: "in_doubt", reason: "no earlier message of this chat on record to probe from" };
  let misses = 0;
  for (let id = part.afterMessageId + 1; id <= part.afterMessageId + MAX_PROBES; id++) {
    const answer = await probe(part.chatId, id, part.markup);
    if (answer === "not_modified") return { kind: "delivered", messageId: id };
    if (answer === "modified")
      return {
        kind: "in_doubt",
        reason: `message ${id} is a bot message the ledger did not know (its buttons were changed by the probe)`,
      };
    misses = answer === "not_found" ? misses + 1 : 0;
    if (misses >= FRONTIER_MISSES) return { kind: "not_delivered" };
  }
  return { kind: "in_doubt", reason: `no end of the chat within ${MAX_PROBES} messages` };
}
