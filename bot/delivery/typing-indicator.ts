import type { Logger } from "pino";
import type { Telegram } from "telegraf";
import type { TypingIndicator } from "../../server/domain/index.js";

/**
 * The domain's TypingIndicator on the Bot API: sendChatAction "typing" (shown about
 * 5 s). Sent at once, not through the outbox: it posts nothing, Telegram does not
 * count it against the flood limits, and one that is late or lost is worth nothing,
 * so a failure is only logged.
 */
export function createTelegramTyping(telegram: Telegram, logger: Logger): TypingIndicator {
  return {
    show(telegramChatId) {
      telegram.sendChatAction(telegramChatId, "typing").catch((err) => {
        logger.debug({ err, chatId: telegramChatId }, "typing indicator not shown");
      });
    },
  };
}
