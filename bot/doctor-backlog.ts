import {
  type ChatBacklog,
  createContextFactory,
  type Db,
  DELIVERY_LAG_WARN_SECONDS,
  deliveryBacklog,
} from "../server/domain/index.js";
import type { Check } from "./doctor.js";

/** Lines the report gives to chats behind; the Mini App's Delivery screen lists them all. */
const SHOWN = 10;

/**
 * Whether the outbox keeps up: a warning per chat whose oldest queued
 * notification is older than DELIVERY_LAG_WARN_SECONDS, naming the chat and the lag.
 * Telegram answering slowly, a 429 pause or a worker that stopped all look the
 * same from here, and all mean someone is waiting for a message.
 */
export async function checkBacklog(db: Db, staffChatId: number | null): Promise<Check[]> {
  // The doctor acts as the system, like a job: it is run by whoever runs the
  // product (a shell) or by an admin the bot already checked. The backlog reads
  // nothing of the settings but the staff chat, to name it.
  const ctx = createContextFactory({
    db,
    settings: { timeZone: "UTC", staffChatId, maxFileBytes: 0 },
  }).forSystem();
  const behind = await deliveryBacklog({
    ctx,
    input: { minLagSeconds: DELIVERY_LAG_WARN_SECONDS, limit: SHOWN + 1 },
  });
  if (behind.length === 0)
    return [{ level: "ok", key: "backlog_ok", vars: { seconds: DELIVERY_LAG_WARN_SECONDS } }];
  const checks: Check[] = behind.slice(0, SHOWN).map((c) => ({
    level: "warn",
    key: "backlog_behind",
    vars: { chat: chatName(c), lag: c.lagSeconds, queued: c.queued },
  }));
  if (behind.length > SHOWN) checks.push({ level: "warn", key: "backlog_more", vars: { shown: SHOWN } });
  return checks;
}

/**
 * A chat as an operator recognises it: the person or the branch it belongs to,
 * with its id (what STAFF_CHAT_ID and the logs show). Branch names are kept per
 * language; the report's reader may have any, so the English one, else Persian
 * (always given).
 */
function chatName(c: ChatBacklog): string {
  const name = c.user
    ? [c.user.firstName, c.user.lastName].filter(Boolean).join(" ") +
      (c.user.username ? ` @${c.user.username}` : "")
    : c.branch
      ? (c.branch.name.en ?? c.branch.name.fa)
      : "";
  return name ? `${name} (${c.chatId})` : String(c.chatId);
}
