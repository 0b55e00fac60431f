import type { TFunction } from "i18next";
import type { Telegram } from "telegraf";
import { allStaffChats, type Db } from "../server/domain/index.js";
import { checkBacklog } from "./doctor-backlog.js";
import { WEBHOOK_PATH } from "./runtime.js";

export type CheckLevel = "ok" | "warn" | "fail";
export interface Check {
  level: CheckLevel;
  key: string;
  vars?: Record<string, string | number>;
}

export interface DoctorInput {
  db: Db;
  telegram: Telegram | null;
  publicUrl?: string;
  staffChatId?: number | null;
}

const errorText = (e: unknown) =>
  (e as { description?: string }).description ?? (e instanceof Error ? e.message : String(e));

/**
 * Checks the real set-up against Telegram and says what to fix: the token, the
 * privacy mode, webhook vs polling, PUBLIC_URL, every staff chat (reachable,
 * bot is admin, can manage topics in a forum), and whether delivery keeps up.
 */
export async function runDoctor(input: DoctorInput): Promise<Check[]> {
  const checks: Check[] = [];
  const { telegram } = input;
  if (!telegram) return [{ level: "fail", key: "token_missing" }];
  let botId = 0;
  try {
    const me = await telegram.getMe();
    botId = me.id;
    checks.push({ level: "ok", key: "token_ok", vars: { username: me.username } });
    checks.push(
      me.can_read_all_group_messages
        ? { level: "ok", key: "privacy_off" }
        : { level: "warn", key: "privacy_on" },
    );
  } catch (e) {
    return [{ level: "fail", key: "token_bad", vars: { error: errorText(e) } }];
  }

  const expected = input.publicUrl ? `${input.publicUrl.replace(/\/$/, "")}${WEBHOOK_PATH}` : "";
  if (input.publicUrl) {
    const u = new URL(input.publicUrl);
    const local = /^(localhost|127\.|10\.|192\.168\.)/.test(u.hostname);
    checks.push(
      u.protocol === "https:" && !local
        ? { level: "ok", key: "public_url_ok", vars: { url: input.publicUrl } }
        : { level: "fail", key: "public_url_bad", vars: { url: input.publicUrl } },
    );
  } else {
    checks.push({ level: "warn", key: "public_url_missing" });
  }
  checks.push(...(await checkWebhook(telegram, expected)));

  const chats = await allStaffChats(input.db, input.staffChatId ?? null);
  if (chats.length === 0) checks.push({ level: "warn", key: "no_staff_chat" });
  for (const chatId of chats) checks.push(await checkStaffChat(telegram, chatId, botId));
  checks.push(...(await checkBacklog(input.db, input.staffChatId ?? null)));
  return checks;
}

/** Webhook mode wants Telegram to call PUBLIC_URL; polling mode wants no webhook at all. */
async function checkWebhook(telegram: Telegram, expected: string): Promise<Check[]> {
  let info: { url?: string; last_error_message?: string };
  try {
    info = await telegram.getWebhookInfo();
  } catch (e) {
    // The token worked a moment ago: Telegram (or the way to it) is failing now.
    return [{ level: "fail", key: "webhook_unknown", vars: { error: errorText(e) } }];
  }
  if (!expected) {
    return [
      info.url
        ? { level: "warn", key: "polling_webhook_set", vars: { url: info.url } }
        : { level: "ok", key: "polling_ok" },
    ];
  }
  const checks: Check[] = [
    info.url === expected
      ? { level: "ok", key: "webhook_ok", vars: { url: info.url } }
      : { level: "fail", key: "webhook_wrong", vars: { actual: info.url || "—", expected } },
  ];
  if (info.last_error_message)
    checks.push({ level: "warn", key: "webhook_error", vars: { error: info.last_error_message } });
  return checks;
}

async function checkStaffChat(telegram: Telegram, chatId: number, botId: number): Promise<Check> {
  try {
    const chat = (await telegram.getChat(chatId)) as { title?: string; is_forum?: boolean };
    const title = chat.title ?? String(chatId);
    const member = (await telegram.getChatMember(chatId, botId)) as {
      status: string;
      can_manage_topics?: boolean;
    };
    if (member.status !== "administrator" && member.status !== "creator")
      return { level: "fail", key: "chat_not_admin", vars: { title } };
    if (chat.is_forum && !member.can_manage_topics && member.status !== "creator") {
      return { level: "fail", key: "chat_no_topics", vars: { title } };
    }
    return { level: "ok", key: chat.is_forum ? "chat_ok_forum" : "chat_ok_group", vars: { title } };
  } catch (e) {
    return { level: "fail", key: "chat_unreachable", vars: { chat: chatId, error: errorText(e) } };
  }
}

/** The report as text, one line per check, in the reader's language. */
export function formatDoctor(checks: Check[], t: TFunction): string {
  return [
    t("doctor:title"),
    ...checks.map((c) => `${t(`doctor:${c.level}`)} ${t(`doctor:${c.key}`, c.vars)}`),
  ].join("\n");
}
