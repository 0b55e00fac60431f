import { and, eq } from "drizzle-orm";
import type { Telegraf } from "telegraf";
import { afterAll, beforeAll } from "vitest";
import type { BotContext } from "../../bot/context.js";
import { type BotDeps, createBot, webhookHandler } from "../../bot/create-bot.js";
import { startBot } from "../../bot/runtime.js";
import { processedUpdates, users } from "../../drizzle/schema/index.js";
import { createContextFactory } from "../../server/domain/build-context.js";
import { createTicket } from "../../server/domain/index.js";
import { createApp } from "../../server/http/app.js";
import { createI18n } from "../../server/i18n.js";
import type { FakeTelegram } from "../../server/sandbox/bot-api/server.js";
import { type TgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import type { World } from "../helpers/fixtures.js";
import { setupFakeTelegram, silentLogger, TEST_PUBLIC_URL, TEST_TOKEN } from "../jobs/outbox-harness.js";

const WEBHOOK_SECRET = "harness-webhook-secret-0123456789";

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

/**
 * How updates reach the bot: straight into handleUpdate (most tests), or through
 * a real door — the webhook route of the HTTP app, or long polling of the fake
 * Bot API's getUpdates.
 */
export type Transport = "direct" | "webhook" | "polling";

/** One bot instance on the test database and the fake Bot API (tests may start a second one). */
export async function harnessBot(
  w: World,
  fake: FakeTelegram,
  staffChatId: number,
  extra: Partial<BotDeps> = {},
): Promise<Telegraf<BotContext>> {
  const contexts = createContextFactory({
    db: w.db,
    clock: w.clock,
    settings: { timeZone: "Asia/Tehran", staffChatId, maxFileBytes: 10 * 1024 * 1024 },
  });
  return createBot({
    token: TEST_TOKEN,
    apiRoot: fake.url,
    db: w.db,
    i18n: await createI18n("fa"),
    logger: silentLogger,
    contexts,
    defaultLanguage: "fa",
    publicUrl: TEST_PUBLIC_URL,
    // Short, so a test of a hanging Bot API call does not wait the production 10 s.
    apiTimeoutMs: 2_000,
    ...extra,
  });
}

/** A bot wired to the test database and a fake Bot API, as main.ts wires it. */
export function setupBot(
  world: () => World,
  staffChatId = -1004000,
  opts: { transport?: Transport } = {},
): () => BotWorld {
  const fakeTelegram = setupFakeTelegram();
  let bw: BotWorld | undefined;
  let stopPolling: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await stopPolling?.();
  });
  beforeAll(async () => {
    const w = world();
    const fake = fakeTelegram();
    const bot = await harnessBot(w, fake, staffChatId);
    const outgoing = (chatId: number) =>
      fake.calls.filter(
        (c) =>
          !c.failure &&
          Number(c.params.chat_id) === chatId &&
          ["sendMessage", "editMessageText"].includes(c.method),
      );
    let send = (update: object) => bot.handleUpdate(update as never);
    if (opts.transport === "webhook") {
      const app = createApp({
        db: w.db,
        i18n: await createI18n("fa"),
        logger: silentLogger,
        defaultLanguage: "fa",
        telegramWebhook: webhookHandler(bot, WEBHOOK_SECRET, silentLogger),
        miniAppDist: false,
      });
      send = async (update) => {
        const res = await app.request("/telegram/webhook", {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
          body: JSON.stringify(update),
        });
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
        await fake.webhookAnswer(res.headers.get("content-type"), await res.text());
      };
    }
    if (opts.transport === "polling") {
      const runtime = await startBot(bot, await createI18n("fa"), silentLogger, {
        defaultLanguage: "fa",
        db: w.db,
      });
      stopPolling = runtime.stop;
      // Handled when its claim is finished (that happens after the handlers ran).
      send = async (update) => {
        const id = (update as { update_id: number }).update_id;
        fake.pushUpdate(update as never);
        const end = Date.now() + 10_000;
        for (;;) {
          const done = await w.db
            .select()
            .from(processedUpdates)
            .where(and(eq(processedUpdates.updateId, id), eq(processedUpdates.finished, true)));
          if (done.length > 0) return;
          if (Date.now() > end) throw new Error(`update ${id} was not handled through polling`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
    }
    bw = {
      bot,
      fake,
      send,
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

/** Someone who has talked to the bot (so they are a user) and opened a ticket. */
export async function openTicketAs(bw: BotWorld, w: World, requesterTg: TgUser, title: string) {
  await bw.send(updates.text(requesterTg, "/help"));
  const [requester] = await w.db.select().from(users).where(eq(users.telegramId, requesterTg.id));
  const ticket = await createTicket({
    ctx: w.ctx(requester),
    input: { title, categoryId: await w.categoryId() },
  });
  return { requesterTg, requester, ticket };
}
