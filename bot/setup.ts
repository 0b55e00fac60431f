import type { TFunction } from "i18next";
import { Telegram } from "telegraf";

/**
 * `npm run setup`, from zero to real Telegram: asks for the token and checks it
 * (getMe), finds the staff group from the first message sent there after the bot was
 * added (getUpdates), checks the bot's rights (admin; topics in a forum) and returns
 * what to write to .env. Every line it says is translated (locales/<lang>/setup.json).
 */

export interface SetupIO {
  ask(question: string): Promise<string>;
  say(line: string): void;
}

export interface SetupOptions {
  io: SetupIO;
  t: TFunction;
  apiRoot: string;
  /** How long to wait for a message in the staff group (default 5 minutes). */
  waitForGroupMs?: number;
  /** getUpdates long-poll seconds (tests make it short). */
  pollTimeoutS?: number;
  /** Attempts at a token, and at re-checking rights after the user fixed them. */
  attempts?: number;
}

export interface SetupResult {
  token: string;
  botUsername: string;
  staffChatId: number | null;
  staffChatTitle?: string;
}

const TOKEN_SHAPE = /^\d+:[\w-]{20,}$/;

const errorText = (e: unknown) =>
  (e as { description?: string }).description ?? (e instanceof Error ? e.message : String(e));

export async function runSetup(opts: SetupOptions): Promise<SetupResult | null> {
  const { io, t } = opts;
  const attempts = opts.attempts ?? 3;
  io.say(t("setup:intro"));

  // 1. The token, checked with getMe.
  let telegram: Telegram | null = null;
  let me: { id: number; username?: string; can_read_all_group_messages?: boolean } | null = null;
  let token = "";
  for (let i = 0; i < attempts && !me; i++) {
    token = (await io.ask(t("setup:ask_token"))).trim();
    if (!TOKEN_SHAPE.test(token)) {
      io.say(t("setup:token_shape"));
      continue;
    }
    telegram = new Telegram(token, { apiRoot: opts.apiRoot });
    try {
      me = await telegram.getMe();
    } catch (e) {
      io.say(t("doctor:token_bad", { error: errorText(e) }));
    }
  }
  if (!me || !telegram) {
    io.say(t("setup:gave_up"));
    return null;
  }
  const username = me.username ?? String(me.id);
  io.say(t("doctor:token_ok", { username }));
  io.say(me.can_read_all_group_messages ? t("doctor:privacy_off") : t("doctor:privacy_on"));

  // getUpdates answers 409 while a webhook is set: polling here needs it gone.
  const webhook = await telegram.getWebhookInfo().catch(() => ({ url: "" }));
  if (webhook.url) {
    await telegram.deleteWebhook();
    io.say(t("setup:webhook_removed", { url: webhook.url }));
  }

  // 2. The staff group: the first group message after the bot was added.
  io.say(t("setup:add_to_group", { username }));
  const group = await waitForGroup(telegram, opts.waitForGroupMs ?? 300_000, opts.pollTimeoutS ?? 20);
  if (!group) {
    io.say(t("setup:no_group"));
    return { token, botUsername: username, staffChatId: null };
  }
  io.say(t("setup:group_found", { title: group.title, chat: group.id }));

  // 3. The bot's rights there: admin, and topics in a forum.
  for (let i = 0; i < attempts; i++) {
    const problem = await rightsProblem(telegram, group.id, me.id);
    if (!problem) {
      io.say(
        group.isForum
          ? t("doctor:chat_ok_forum", { title: group.title })
          : t("doctor:chat_ok_group", { title: group.title }),
      );
      break;
    }
    io.say(t(problem, { title: group.title, chat: group.id }));
    if (i === attempts - 1) break;
    await io.ask(t("setup:press_enter"));
  }
  return { token, botUsername: username, staffChatId: group.id, staffChatTitle: group.title };
}

interface FoundGroup {
  id: number;
  title: string;
  isForum: boolean;
}

async function waitForGroup(
  telegram: Telegram,
  waitMs: number,
  pollTimeoutS: number,
): Promise<FoundGroup | null> {
  const end = Date.now() + waitMs;
  let offset = 0;
  while (Date.now() < end) {
    const timeout = Math.max(0, Math.min(pollTimeoutS, Math.ceil((end - Date.now()) / 1000)));
    const updates = (await telegram.callApi("getUpdates", {
      offset,
      timeout,
      allowed_updates: ["message", "my_chat_member"],
    })) as unknown as Array<{ update_id: number } & Record<string, unknown>>;
    for (const u of updates) {
      offset = u.update_id + 1;
      const chat = ((u.message ?? u.my_chat_member) as { chat?: Record<string, unknown> } | undefined)?.chat;
      if (chat && (chat.type === "group" || chat.type === "supergroup") && u.message) {
        // Tell Telegram these updates are handled, so the product does not see them again.
        await telegram.callApi("getUpdates", { offset, timeout: 0 }).catch(() => undefined);
        return { id: Number(chat.id), title: String(chat.title ?? chat.id), isForum: chat.is_forum === true };
      }
    }
  }
  return null;
}

/** A doctor key naming what is wrong with the bot's rights in the group, or null. */
async function rightsProblem(telegram: Telegram, chatId: number, botId: number): Promise<string | null> {
  const chat = (await telegram.getChat(chatId)) as { is_forum?: boolean };
  const member = (await telegram.getChatMember(chatId, botId)) as {
    status: string;
    can_manage_topics?: boolean;
  };
  if (member.status !== "administrator" && member.status !== "creator") return "doctor:chat_not_admin";
  if (chat.is_forum && !member.can_manage_topics && member.status !== "creator")
    return "doctor:chat_no_topics";
  return null;
}

/** The .env text with these variables set: an existing line is replaced, a new one appended. */
export function upsertEnv(text: string, vars: Record<string, string>): string {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  for (const [key, value] of Object.entries(vars)) {
    const i = lines.findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l));
    if (i >= 0) lines[i] = `${key}=${value}`;
    else lines.push(`${key}=${value}`);
  }
  return `${lines.join("\n")}\n`;
}
