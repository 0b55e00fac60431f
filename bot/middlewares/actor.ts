import type { i18n } from "i18next";
import type { Middleware } from "telegraf";
import type { Db } from "../../drizzle/client.js";
import type { Language } from "../../drizzle/schema/index.js";
import type { ContextFactory } from "../../server/domain/build-context.js";
import { upsertTelegramUser } from "../../server/domain/users/upsert.js";
import type { BotContext } from "../context.js";

/**
 * Turns the Telegram sender into our user (created on first contact, names kept
 * fresh), picks their language and builds the domain context every verb needs.
 * Updates without a human sender (channel posts, other bots) stop here.
 */
export function actorMiddleware(deps: {
  db: Db;
  i18n: i18n;
  contexts: ContextFactory;
  defaultLanguage: Language;
}): Middleware<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot) return;
    ctx.user = await upsertTelegramUser(
      deps.db,
      {
        telegramId: from.id,
        username: from.username,
        firstName: from.first_name,
        lastName: from.last_name,
        languageCode: from.language_code,
      },
      { language: deps.defaultLanguage },
    );
    ctx.lang = ctx.user.language;
    ctx.i18n = deps.i18n;
    ctx.t = deps.i18n.getFixedT(ctx.lang, "bot");
    ctx.svc = deps.contexts.forUser(ctx.user);
    return next();
  };
}
