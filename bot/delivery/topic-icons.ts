import type { Telegram } from "telegraf";
import type { TicketStatus } from "../../server/domain/index.js";
import { callTelegram } from "./telegram-call.js";

/**
 * A topic's icon follows its ticket's status. Topics may only wear the custom
 * emoji Telegram offers for them (getForumTopicIconStickers); for each status the
 * first of these emoji that Telegram offers is used. None offered (an older Bot
 * API server, a failed call): topics keep their colour, and the status emoji at
 * the start of the name still tells the status.
 */
const PREFERRED: Record<TicketStatus, string[]> = {
  open: ["🔥", "❗", "🆕"],
  in_progress: ["⚡", "🛠", "📝"],
  waiting_customer: ["⏰", "⏳", "❓"],
  resolved: ["✅", "✔"],
  closed: ["✔", "✅", "📁"],
};

/** Emoji compare without the variation selector Telegram sometimes adds (⚡ vs ⚡️). */
const bare = (emoji: string) => emoji.replace(/\uFE0F/g, "");

export type TopicIconFor = (status: TicketStatus) => Promise<string | undefined>;

export function createTopicIcons(telegram: Telegram, timeoutMs?: number): TopicIconFor {
  let offered: Promise<Map<string, string>> | null = null;
  const load = async () => {
    try {
      const stickers = await callTelegram<{ emoji?: string; custom_emoji_id?: string }[]>(
        telegram,
        "getForumTopicIconStickers",
        {},
        timeoutMs,
      );
      const byEmoji = new Map<string, string>();
      for (const s of stickers)
        if (s.emoji && s.custom_emoji_id) byEmoji.set(bare(s.emoji), s.custom_emoji_id);
      return byEmoji;
    } catch {
      // Asked again in ten minutes, not on every delivery (each ask may wait its timeout).
      setTimeout(() => {
        offered = null;
      }, 10 * 60_000).unref();
      return new Map<string, string>();
    }
  };
  return async (status) => {
    offered ??= load();
    const byEmoji = await offered;
    for (const emoji of PREFERRED[status]) {
      const id = byEmoji.get(bare(emoji));
      if (id) return id;
    }
    return undefined;
  };
}
