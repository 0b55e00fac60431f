import type { i18n } from "i18next";
import type { Logger } from "pino";
import type { Telegram } from "telegraf";
import { type Db, isWorkingStaff, listReachableWorkingStaff, type User } from "../server/domain/index.js";
import { createPlatformFeatures, type PlatformFeatures } from "./platform.js";

/** Telegram allows about 30 calls a second; stay well below while walking the staff list. */
const PAUSE_MS = 60;

/**
 * The Mini App is the staff's workplace: agents, moderators and admins get a menu
 * button that opens it in their private chat with the bot, labelled in their
 * language; everyone else keeps the command menu (the bot's default).
 */
export async function syncMenuButton(
  telegram: Telegram,
  i18n: i18n,
  user: Pick<User, "telegramId" | "role" | "isActive" | "language">,
  miniAppUrl: string,
): Promise<void> {
  const staff = isWorkingStaff(user);
  await telegram.setChatMenuButton({
    chatId: user.telegramId,
    menuButton: staff
      ? {
          type: "web_app",
          text: i18n.getFixedT(user.language, "bot")("menu_button"),
          web_app: { url: miniAppUrl },
        }
      : { type: "default" },
  });
}

/**
 * At start: the bot's default menu shows the commands, and every active staff
 * member gets the Mini App button. Someone promoted later gets it on their next
 * /start. A chat Telegram refuses (never started, blocked) is logged and skipped.
 */
export async function setUpMenuButtons(deps: {
  telegram: Telegram;
  db: Db;
  i18n: i18n;
  logger: Logger;
  miniAppUrl: string;
  platform?: PlatformFeatures;
}): Promise<void> {
  const platform = deps.platform ?? createPlatformFeatures();
  // Where the method is missing (Bale), this switches the feature off and nobody is walked.
  await platform.attempt("menuButton", () =>
    deps.telegram.setChatMenuButton({ menuButton: { type: "commands" } }),
  );
  if (!platform.has("menuButton")) return;
  const staff = await listReachableWorkingStaff(deps.db);
  for (const user of staff) {
    await syncMenuButton(deps.telegram, deps.i18n, user, deps.miniAppUrl).catch((err) =>
      deps.logger.warn({ err, telegramId: user.telegramId }, "could not set the Mini App menu button"),
    );
    await new Promise((r) => setTimeout(r, PAUSE_MS));
  }
}
