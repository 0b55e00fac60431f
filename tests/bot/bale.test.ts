import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { pino } from "pino";
import { Telegram } from "telegraf";
import { beforeAll, describe, expect, it } from "vitest";
import { createTelegramDeliverer } from "../../bot/delivery/deliverer.js";
import { createPlatformFeatures, type PlatformFeatures } from "../../bot/platform.js";
import { messages, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import {
  drainAll,
  outboxWorker,
  RELAXED_LIMITS,
  setupFakeTelegram,
  TEST_PUBLIC_URL,
  TEST_TOKEN,
} from "../jobs/outbox-harness.js";
import { harnessBot } from "./bot-harness.js";

/**
 * The product on a Bot API without forum topics and the Mini App menu button
 * (Bale, BOT_PLATFORM=bale), and the detection that switches a feature off when
 * its method fails as unsupported. The fake Bot API's staff chat calls itself a
 * forum throughout: only the platform decides whether topics are used.
 */
const STAFF = -1007700;
const world = setupTestWorld({ staffChatId: STAFF });
const fakeTelegram = setupFakeTelegram();
let w: World;
beforeAll(() => {
  w = world();
});

/** A logger whose warnings the test reads. */
function capturingLogger() {
  const lines: Array<{ msg: string; feature?: string }> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: "warn" }, stream), lines };
}

/** A bot and an outbox worker sharing one view of the platform, as main.ts wires them. */
async function stack(platform: PlatformFeatures) {
  const fake = fakeTelegram();
  fake.setChat(STAFF, { id: STAFF, type: "supergroup", title: "Support", is_forum: true });
  const bot = await harnessBot(w, fake, STAFF, { platform });
  const deliver = createTelegramDeliverer({
    db: w.db,
    i18n: await createI18n("fa"),
    telegram: new Telegram(TEST_TOKEN, { apiRoot: fake.url }),
    staffLanguage: "fa",
    publicUrl: TEST_PUBLIC_URL,
    platform,
  });
  const worker = outboxWorker(w.db, deliver, { limits: RELAXED_LIMITS });
  const send = (update: object) => bot.handleUpdate(update as never);
  return { fake, send, drain: () => drainAll(worker, w.db) };
}

let nextId = 770_000;
async function person(send: (u: object) => Promise<void>, role: "requester" | "agent") {
  const tg: TgUser = tgUser(nextId++, "en");
  await send(updates.text(tg, "/help"));
  const [row] = await w.db
    .update(users)
    .set({ role, languageChosen: true })
    .where(eq(users.telegramId, tg.id))
    .returning();
  return { tg, row };
}

describe("BOT_PLATFORM=bale", () => {
  it("posts tickets under cards instead of topics, sets no menu button, and relays both ways", async () => {
    const { fake, send, drain } = await stack(createPlatformFeatures("bale"));
    const requester = await person(send, "requester");
    const agent = await person(send, "agent");
    fake.clear();
    await send(updates.text(agent.tg, "/start"));
    expect(fake.calls.filter((c) => c.method === "setChatMenuButton")).toHaveLength(0);

    const ticket = await createTicket({
      ctx: w.ctx(requester.row),
      input: { title: "Scanner offline", categoryId: await w.categoryId() },
    });
    await drain();
    expect(fake.calls.filter((c) => c.method === "createForumTopic" || c.method === "getChat")).toHaveLength(
      0,
    );
    const card = fake.sends(STAFF).at(-1);
    expect(String(card?.params.text)).toContain(ticket.number);
    expect(card?.params.message_thread_id).toBeUndefined();

    // An agent's reply to the card reaches the ticket (and so the requester).
    const cardId = (card?.result as { message_id: number } | undefined)?.message_id ?? 0;
    await send(updates.groupText(agent.tg, STAFF, "Restart it, please", cardId));
    const thread = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(thread.map((m) => [m.body, m.authorId])).toEqual([["Restart it, please", agent.row.id]]);
    await drain();
    expect(
      fake
        .sends(requester.tg.id)
        .map((c) => String(c.params.text))
        .join("\n"),
    ).toContain("Restart it, please");
  });
});

describe("detection on any platform", () => {
  it("switches the menu button off with a log line when setChatMenuButton is unsupported, and stops calling it", async () => {
    const { logger, lines } = capturingLogger();
    const platform = createPlatformFeatures("telegram", logger);
    const { fake, send } = await stack(platform);
    const agent = await person(send, "agent");
    fake.failNext("setChatMenuButton", { error_code: 404, description: "Not Found: method not found" });
    await send(updates.text(agent.tg, "/start"));
    expect(platform.has("menuButton")).toBe(false);
    expect(lines.filter((l) => l.feature === "menuButton")).toHaveLength(1);
    const tried = fake.calls.filter((c) => c.method === "setChatMenuButton").length;
    await send(updates.text(agent.tg, "/start"));
    expect(fake.calls.filter((c) => c.method === "setChatMenuButton")).toHaveLength(tried);
    // Other refusals are not a missing method: a 403 leaves the feature on.
    const other = createPlatformFeatures("telegram", logger);
    await other
      .attempt("menuButton", () =>
        Promise.reject({ response: { error_code: 403, description: "Forbidden" } }),
      )
      .catch(() => {});
    expect(other.has("menuButton")).toBe(true);
  });

  it("falls back to cards when createForumTopic is unsupported, and uses cards from then on", async () => {
    const { logger, lines } = capturingLogger();
    const platform = createPlatformFeatures("telegram", logger);
    const { fake, drain, send } = await stack(platform);
    const requester = await person(send, "requester");
    fake.failNext(
      "createForumTopic",
      { error_code: 404, description: "Not Found: method not found" },
      { times: 2 },
    );
    const first = await createTicket({
      ctx: w.ctx(requester.row),
      input: { title: "Door badge", categoryId: await w.categoryId() },
    });
    await drain();
    expect(platform.has("forumTopics")).toBe(false);
    expect(lines.filter((l) => l.feature === "forumTopics")).toHaveLength(1);
    expect(
      fake
        .sends(STAFF)
        .map((c) => String(c.params.text))
        .join("\n"),
    ).toContain(first.number);
    const topicCalls = fake.calls.filter((c) => c.method === "createForumTopic").length;
    const second = await createTicket({
      ctx: w.ctx(requester.row),
      input: { title: "Coffee machine", categoryId: await w.categoryId() },
    });
    await drain();
    expect(fake.calls.filter((c) => c.method === "createForumTopic")).toHaveLength(topicCalls);
    expect(String(fake.sends(STAFF).at(-1)?.params.text)).toContain(second.number);
  });
});
