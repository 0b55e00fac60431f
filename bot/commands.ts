import type { i18n } from "i18next";
import type { Telegram } from "telegraf";
import { LANGUAGES } from "../server/domain/index.js";

const COMMANDS = ["new", "my", "track", "settings", "lang", "help", "cancel"] as const;
const STAFF_COMMANDS = ["note", "close", "status", "assign", "canned"] as const;
/** Staff's availability for auto-assignment, in staff groups too (described under "assignment"). */
const AVAILABILITY_COMMANDS = ["away", "back"] as const;
/** Live chat (docs/LIVE.md): requesters ask with /live; staff set their presence (described under "live"). */
const LIVE_COMMANDS = ["live"] as const;
const PRESENCE_COMMANDS = ["online", "busy", "offline"] as const;

/**
 * Registers the command menu in every language (Telegram shows the one matching
 * the user's app language) plus a default, and the staff commands in staff groups.
 * The Mini App menu button is per staff member (menu-button.ts).
 */
export async function registerCommands(
  telegram: Telegram,
  i18n: i18n,
  defaultLanguage: string,
  staffChatIds: number[] = [],
) {
  for (const lang of [...LANGUAGES, null]) {
    const t = i18n.getFixedT(lang ?? defaultLanguage, "bot");
    const commands = [
      ...COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) })),
      ...LIVE_COMMANDS.map((command) => ({ command, description: t(`live.commands.${command}`) })),
    ];
    await telegram.setMyCommands(commands, {
      scope: { type: "all_private_chats" },
      ...(lang ? { language_code: lang } : {}),
    });
  }
  // In staff groups, the commands that work inside a ticket's topic.
  for (const chatId of staffChatIds) {
    for (const lang of [...LANGUAGES, null]) {
      const t = i18n.getFixedT(lang ?? defaultLanguage, "bot");
      const commands = [
        ...STAFF_COMMANDS.map((command) => ({ command, description: t(`commands_staff.${command}`) })),
        ...AVAILABILITY_COMMANDS.map((command) => ({
          command,
          description: t(`assignment.commands.${command}`),
        })),
        ...PRESENCE_COMMANDS.map((command) => ({ command, description: t(`live.commands.${command}`) })),
      ];
      await telegram.setMyCommands(commands, {
        scope: { type: "chat", chat_id: chatId },
        ...(lang ? { language_code: lang } : {}),
      });
    }
  }
}
