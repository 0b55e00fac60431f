import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { allStaffChats } from "../notifications/record.js";
import { getSetting } from "../settings/store.js";

/**
 * The chat a report file goes to. None named: the main staff chat (the
 * `staff_chat_id` setting, else STAFF_CHAT_ID). A named one must be a chat the bot
 * knows: a staff group (the main one or a branch's) or the private chat of an
 * active staff member (a requester's chat is never a place for reports). Anything
 * else is refused, so a mistyped id cannot leak a report to a stranger's group.
 */
export async function reportChat(tx: DbOrTx, ctx: ServiceContext, chatId?: number | null): Promise<number> {
  if (chatId === undefined || chatId === null) {
    const main = (await getSetting(tx, "staff_chat_id")) ?? ctx.settings.staffChatId;
    if (!main)
      throw new DomainError("VALIDATION", {}, [
        { path: "chatId", code: "no_staff_chat", message: "no staff chat is set" },
      ]);
    return main;
  }
  if ((await allStaffChats(tx, ctx.settings.staffChatId)).includes(chatId)) return chatId;
  const [person] = await tx
    .select({ role: users.role, active: users.isActive })
    .from(users)
    .where(eq(users.telegramId, chatId))
    .limit(1);
  if (person?.active && person.role !== "requester") return chatId;
  throw new DomainError("VALIDATION", {}, [
    { path: "chatId", code: "unknown_chat", message: "not a chat the bot posts to" },
  ]);
}
