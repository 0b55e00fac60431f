import { Composer } from "telegraf";
import {
  getTicketByNumber,
  LANGUAGES,
  PERSONAL_NOTIFICATION_TYPES,
  setNotificationPrefs,
  setUserLanguage,
  wantsNotification,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";
import { syncMenuButton } from "../menu-button.js";
import { decodeCallback, encodeCallback } from "../ui/callback-data.js";
import { showCard } from "./cards.js";
import { askLiveButton } from "./live.js";
import { startNewTicket } from "./new-ticket.js";

const LANGUAGE_NAMES = { fa: "🇮🇷 فارسی", en: "🇬🇧 English", ru: "🇷🇺 Русский" } as const;

const languageKeyboard = () => ({
  inline_keyboard: [
    LANGUAGES.map((l) => ({ text: LANGUAGE_NAMES[l], callback_data: encodeCallback({ a: "lang", l }) })),
  ],
});

function settingsKeyboard(ctx: BotContext) {
  return {
    inline_keyboard: PERSONAL_NOTIFICATION_TYPES.map((k) => [
      {
        text: `${wantsNotification(ctx.user, k) ? "🔔" : "🔕"} ${ctx.t(`settings.kind.${k}`)}`,
        callback_data: encodeCallback({ a: "pref", k }),
      },
    ]),
  };
}

/** /start with deep links, language choice, /help, /settings (/cancel is the scenes' own: scenes/stage.ts). */
export const startFeature = new Composer<BotContext>();

startFeature.start(async (ctx) => {
  await answerStart(ctx, ctx.payload.trim());
  // After the answer, so nobody waits for it: someone promoted to staff since the last
  // start gets the Mini App button now (and loses it when demoted).
  // Not on a Bot API without the menu button (Bale; bot/platform.ts switches it off).
  const miniAppUrl = ctx.miniAppUrl;
  if (miniAppUrl && ctx.chat.type === "private") {
    await ctx.platform
      .attempt("menuButton", () => syncMenuButton(ctx.telegram, ctx.i18n, ctx.user, miniAppUrl))
      .catch(() => {
        // Only a convenience.
      });
  }
});

async function answerStart(ctx: BotContext, payload: string) {
  if (payload.startsWith("t_")) {
    const ticket = await getTicketByNumber({ ctx: ctx.svc, input: { number: payload.slice(2) } });
    await showCard(ctx, ticket.id);
    return;
  }
  if (payload.startsWith("new_")) {
    await startNewTicket(ctx, payload.slice(4));
    return;
  }
  if (!ctx.user.languageChosen) {
    await ctx.reply(ctx.t("choose_language"), { reply_markup: languageKeyboard() });
    return;
  }
  // The requester's menu: "Talk to an operator" under the welcome (live chat, docs/LIVE.md).
  await ctx.reply(ctx.t("welcome"), { reply_markup: askLiveButton(ctx) });
}

startFeature.command("lang", (ctx) =>
  ctx.reply(ctx.t("choose_language"), { reply_markup: languageKeyboard() }),
);
startFeature.command("help", (ctx) => ctx.reply(ctx.t("help")));

startFeature.command("settings", (ctx) =>
  ctx.reply(ctx.t("settings.title"), { reply_markup: settingsKeyboard(ctx) }),
);

startFeature.on("callback_query", async (ctx, next) => {
  const action = decodeCallback("data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
  if (action?.a === "lang") {
    ctx.user = await setUserLanguage({ ctx: ctx.svc, input: { language: action.l } });
    ctx.lang = action.l;
    ctx.t = ctx.i18n.getFixedT(action.l, "bot");
    await ctx.answerCbQuery();
    await ctx.editMessageText(ctx.t("language_saved"));
    await ctx.reply(ctx.t("welcome"), { reply_markup: askLiveButton(ctx) });
    return;
  }
  if (action?.a === "pref") {
    const on = wantsNotification(ctx.user, action.k);
    ctx.user = await setNotificationPrefs({ ctx: ctx.svc, input: { prefs: { [action.k]: !on } } });
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(settingsKeyboard(ctx));
    return;
  }
  return next();
});
