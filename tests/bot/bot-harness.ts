import type { Telegraf } from "telegraf";
import { beforeAll } from "vitest";
import type { BotContext } from "../../bot/context.js";
import { createBot } from "../../bot/create-bot.js";
import { createContextFactory } from "../../server/domain/build-context.js";
import { createI18n } from "../../server/i18n.js";
import type { FakeTelegram } from "../helpers/fake-telegram/server.js";
import type { World } from "../helpers/fixtures.js";
import { setupFakeTelegram, silentLogger, TEST_PUBLIC_URL, TEST_TOKEN } from "../jobs/outbox-harness.js";

export interface BotWorld {
  bot: Telegraf<BotContext>;
  fake: FakeTelegram;
  /** Feeds one update and waits until the bot has handled it. */
  send(update: object): Promise<void>;
  /** Texts the bot sent (or edited in) to a chat, in order. */
  textsTo(chatId: number): string[];
  /** The inline keyboard of the last message to a chat, as callback data. */
  lastButtons(chatId: number): string[];
}

/** A bot wired to the test database and a fake Bot API, as main.ts wires it. */
export function setupBot(world: () => World, staffChatId = -1004000): () => BotWorld {
  const fakeTelegram = setupFakeTelegram();
  let bw: BotWorld | undefined;
  beforeAll(async () => {
    const w = world();
    const fake = fakeTelegram();
    const contexts = createContextFactory({
      db: w.db,
      clock: w.clock,
      settings: { timeZone: "Asia/Tehran", staffChatId, maxFileBytes: 10 * 1024 * 1024 },
    });
    const bot = createBot({
      token: TEST_TOKEN,
      apiRoot: fake.url,
      db: w.db,
      i18n: await createI18n("fa"),
      logger: silentLogger,
      contexts,
      defaultLanguage: "fa",
      publicUrl: TEST_PUBLIC_URL,
    });
    const outgoing = (chatId: number) =>
      fake.calls.filter(
        (c) =>
          !c.failure &&
          Number(c.params.chat_id) === chatId &&
          ["sendMessage", "editMessageText"].includes(c.method),
      );
    bw = {
      bot,
      fake,
      send: (update) => bot.handleUpdate(update as never),
      textsTo: (chatId) => outgoing(chatId).map((c) => String(c.params.text)),
      lastButtons(chatId) {
        const markup = outgoing(chatId).at(-1)?.params.reply_markup as
          | { inline_keyboard: { callback_data?: string }[][] }
          | undefined;
        return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? "");
      },
    };
  });
  return () => {
    if (!bw) throw new Error("the bot exists only inside tests");
    return bw;
  };
}
