import type { i18n, TFunction } from "i18next";
import type { Logger } from "pino";
import {
  type DomainError,
  isDatabaseUnavailable,
  isDomainError,
  type Language,
  MESSAGE_MAX,
} from "../../server/domain/index.js";
import type { BotContext } from "../context.js";

/**
 * bot.catch: a DomainError is answered with its translated message; anything else
 * is logged with the update id and answered with a generic apology. The bot keeps
 * running either way, and a failing answer is only logged. An unavailable database
 * is not answered: the update is handed back to Telegram and handled again when
 * it comes back (update-claims.ts), so an apology now would be followed by the answer.
 */
export function botErrorHandler(deps: { i18n: i18n; logger: Logger; defaultLanguage: Language }) {
  return async (err: unknown, ctx: BotContext) => {
    if (isDatabaseUnavailable(err)) {
      deps.logger.warn({ err, updateId: ctx.update?.update_id }, "database unavailable: update handed back");
      return;
    }
    const lang = ctx.lang ?? deps.defaultLanguage;
    const t = deps.i18n.getFixedT(lang, "errors");
    let text: string;
    if (isDomainError(err)) {
      text =
        specificMessage(err, t) ||
        t(err.code, {
          ...err.details,
          from: statusName(deps.i18n, lang, err.details.from),
          to: statusName(deps.i18n, lang, err.details.to),
        });
    } else {
      deps.logger.error({ err, updateId: ctx.update?.update_id }, "bot update failed");
      text = t("INTERNAL");
    }
    try {
      // A button's query may have been answered already (handlers answer early): then the
      // pop-up is gone, and the chat is where the person can still read what went wrong.
      const popped =
        ctx.callbackQuery &&
        (await ctx.answerCbQuery(text.slice(0, 190), { show_alert: true }).then(
          () => true,
          () => false,
        ));
      if (!popped && ctx.chat) await ctx.reply(text);
    } catch (replyErr) {
      deps.logger.warn({ err: replyErr, updateId: ctx.update?.update_id }, "could not send the error reply");
    }
  };
}

/**
 * The cases a person can hit by just writing get a message that names the limit;
 * a refusal with a reason gets that reason's text. "" falls back to the code's text.
 */
function specificMessage(err: DomainError, t: TFunction): string {
  if (err.issues.some((i) => i.code === "too_big" && i.path === "body"))
    return t("message_too_long", { max: MESSAGE_MAX });
  if (err.code === "LIMIT_EXCEEDED" && err.details.what === "file_size")
    return t("file_too_large", { limitMb: Math.round(Number(err.details.limitBytes) / 1024 / 1024) });
  if (err.details.what === "file_type")
    return t("file_type", { name: err.details.fileName, type: err.details.mimeType || "?" });
  if (err.details.reason) return t(String(err.details.reason), { defaultValue: "" });
  return "";
}

function statusName(i18n: i18n, lang: Language, status: unknown): string {
  return typeof status === "string" ? i18n.getFixedT(lang, "common")(`status.${status}`) : "";
}
