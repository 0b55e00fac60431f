import { createHash } from "node:crypto";
import type { i18n } from "i18next";
import type { Logger } from "pino";
import type { Telegraf } from "telegraf";
import type { Db } from "../server/domain/index.js";
import { registerCommands } from "./commands.js";
import type { BotContext } from "./context.js";
import { type HandBackRetry, retryHandedBack } from "./handed-back.js";
import { setUpMenuButtons } from "./menu-button.js";
import type { PlatformFeatures } from "./platform.js";
import { claimsFor } from "./update-claims.js";

export interface BotRuntimeOptions {
  /** Public https base URL: set → webhook mode at <url>/telegram/webhook; unset → long polling. */
  publicUrl?: string;
  webhookSecret?: string;
  defaultLanguage: string;
  /** Staff groups, for their own command menu. */
  staffChatIds?: number[];
  /** To find the staff who get the Mini App menu button. */
  db: Db;
  /** What the Bot API supports (BOT_PLATFORM; bot/platform.ts): Bale has no Mini App menu button. */
  platform?: PlatformFeatures;
  /** Long polling: how soon an update the database could not take is tried again (tests). */
  handBack?: HandBackRetry;
}

export const WEBHOOK_PATH = "/telegram/webhook";

/** Where the Mini App is served, when the product has a public URL. */
export const miniAppUrlOf = (publicUrl?: string) =>
  publicUrl ? `${publicUrl.replace(/\/$/, "")}/` : undefined;

/**
 * The secret Telegram must send with every webhook call: WEBHOOK_SECRET, or one
 * derived from the bot token, so a webhook is never left open by omission.
 */
export function webhookSecretOf(botToken: string, configured?: string): string {
  return configured ?? createHash("sha256").update(`webhook:${botToken}`).digest("hex").slice(0, 64);
}

/**
 * Connects the bot to Telegram: registers commands (and the Mini App menu button),
 * then either sets the webhook or starts long polling. Telegram being unreachable
 * is logged and retried by Telegraf's polling; it never stops the process.
 */
export async function startBot(
  bot: Telegraf<BotContext>,
  i18n: i18n,
  logger: Logger,
  opts: BotRuntimeOptions,
) {
  const miniAppUrl = miniAppUrlOf(opts.publicUrl);
  await registerCommands(bot.telegram, i18n, opts.defaultLanguage, opts.staffChatIds).catch((err) =>
    logger.warn({ err }, "could not register bot commands"),
  );
  // In the background: a large staff list takes a while at Telegram's pace.
  const menus = miniAppUrl
    ? setUpMenuButtons({
        telegram: bot.telegram,
        db: opts.db,
        i18n,
        logger,
        miniAppUrl,
        platform: opts.platform,
      }).catch((err) => logger.warn({ err }, "could not set the Mini App menu buttons"))
    : Promise.resolve();
  if (opts.publicUrl) {
    const url = `${opts.publicUrl.replace(/\/$/, "")}${WEBHOOK_PATH}`;
    await bot.telegram.setWebhook(url, { secret_token: opts.webhookSecret, drop_pending_updates: false });
    bot.botInfo ??= await bot.telegram.getMe();
    logger.info({ url }, "bot webhook set");
    return { menus, stop: async () => {} };
  }
  // Only one process can poll a bot: an open claim of another is a dead predecessor's.
  const claims = claimsFor(bot);
  if (claims) claims.polling = true;
  const stopRetries = claims ? retryHandedBack(bot, claims, logger, opts.handBack) : () => {};
  const polling = bot
    .launch({ dropPendingUpdates: false })
    .catch((err) => logger.error({ err }, "bot polling stopped"));
  logger.info("bot started with long polling");
  return {
    menus,
    stop: async () => {
      stopRetries();
      bot.stop("shutdown");
      await polling;
    },
  };
}
