import { and, asc, eq, isNotNull, ne } from "drizzle-orm";
import type { DbOrTx } from "../../../drizzle/client.js";
import { branches, type LocalizedText, users } from "../../../drizzle/schema/index.js";
import type { ServiceContext } from "../context.js";
import { DomainError } from "../errors.js";
import { allStaffChats } from "../notifications/record.js";
import { isAdmin, requireRole } from "../permissions.js";
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

/** A chat a report may be sent to, as the Mini App's chooser shows it. */
export interface ReportChatChoice {
  chatId: number;
  /** The main staff chat, a branch's staff chat, or a staff member's private chat. */
  kind: "staff" | "branch" | "person";
  /** The branch's name by language, or the person's name; null for the main staff chat. */
  name: LocalizedText | string | null;
}

/**
 * Every chat `reportChat` accepts (admins and owners, who send and schedule reports):
 * the main staff chat first, then branches' staff chats, then active staff members'
 * private chats by name. A chat is listed once, under its first kind.
 */
export async function listReportChats({ ctx }: { ctx: ServiceContext }): Promise<ReportChatChoice[]> {
  requireRole(ctx.actor, isAdmin(ctx.actor), "report.chats");
  const out: ReportChatChoice[] = [];
  const seen = new Set<number>();
  const add = (c: ReportChatChoice) => {
    if (seen.has(c.chatId)) return;
    seen.add(c.chatId);
    out.push(c);
  };
  const main = (await getSetting(ctx.db, "staff_chat_id")) ?? ctx.settings.staffChatId;
  if (main) add({ chatId: main, kind: "staff", name: null });
  const groups = await ctx.db
    .select({ chat: branches.staffChatId, name: branches.name })
    .from(branches)
    .where(isNotNull(branches.staffChatId))
    .orderBy(asc(branches.code));
  for (const g of groups) if (g.chat) add({ chatId: g.chat, kind: "branch", name: g.name });
  const people = await ctx.db
    .select({ chat: users.telegramId, first: users.firstName, last: users.lastName })
    .from(users)
    .where(and(eq(users.isActive, true), ne(users.role, "requester")))
    .orderBy(asc(users.firstName), asc(users.telegramId));
  for (const p of people)
    add({ chatId: Number(p.chat), kind: "person", name: [p.first, p.last].filter(Boolean).join(" ") });
  return out;
}
