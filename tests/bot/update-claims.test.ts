import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { flushUpdateClaims, webhookHandler } from "../../bot/create-bot.js";
import { claimsFor } from "../../bot/update-claims.js";
import { processedUpdates, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { silentLogger } from "../jobs/outbox-harness.js";
import { harnessBot, setupBot } from "./bot-harness.js";

const STAFF = -1004000;
const world = setupTestWorld();
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});
let nextId = 720_000;
const answersTo = (chatId: number) =>
  botWorld().fake.calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId)
    .length;
async function someone() {
  const tg = tgUser(nextId++, "en");
  await botWorld().send(updates.text(tg, "/help"));
  return tg;
}
/** What another process left: a claim of the update, unfinished, `ageMs` old. */
const claimOf = (updateId: number, ageMs: number, claimedBy: string | null = "another-process") =>
  w.db.insert(processedUpdates).values({ updateId, claimedBy, processedAt: new Date(Date.now() - ageMs) });

describe("an update that reaches two instances at once", () => {
  it("takes effect once: the second waits for the first and then does nothing", async () => {
    const { bot, fake } = botWorld();
    const other = await harnessBot(w, fake, STAFF, { claimOptions: { pollMs: 20 } });
    const tg = await someone();
    const before = answersTo(tg.id);
    const update = updates.text(tg, "/my");
    await Promise.all([bot.handleUpdate(update as never), other.handleUpdate(update as never)]);
    expect(answersTo(tg.id)).toBe(before + 1);
    await Promise.all([flushUpdateClaims(bot), flushUpdateClaims(other)]);
    const [row] = await w.db
      .select()
      .from(processedUpdates)
      .where(eq(processedUpdates.updateId, update.update_id));
    expect(row.finished).toBe(true);
  });

  it("answers the webhook with 503 when the other instance still holds it after the wait, so Telegram retries later", async () => {
    const { fake } = botWorld();
    const other = await harnessBot(w, fake, STAFF, { claimOptions: { waitMs: 300, pollMs: 20 } });
    const handle = webhookHandler(other, undefined, silentLogger);
    const tg = await someone();
    const before = answersTo(tg.id);
    const update = updates.text(tg, "/my");
    await claimOf(update.update_id, 0);
    const post = () =>
      handle(new Request("http://bot/telegram/webhook", { method: "POST", body: JSON.stringify(update) }));
    expect((await post()).status).toBe(503);
    expect(answersTo(tg.id)).toBe(before);
    // The holder finished meanwhile: the redelivery is taken as done.
    await w.db
      .update(processedUpdates)
      .set({ finished: true })
      .where(eq(processedUpdates.updateId, update.update_id));
    expect((await post()).status).toBe(200);
    expect(answersTo(tg.id)).toBe(before);
  });
});

describe("a handler that outlives the webhook request", () => {
  it("makes its last call itself: the answer it would have ridden in is gone", async () => {
    const { fake } = botWorld();
    // The arrival waits for another instance's claim, then takes it over (200 ms); Telegraf
    // stops waiting for the handlers at 100 ms and the webhook answers meanwhile.
    const slow = await harnessBot(w, fake, STAFF, {
      claimOptions: { ttlMs: 200, waitMs: 5_000, pollMs: 20 },
      handlerTimeoutMs: 100,
    });
    const handle = webhookHandler(slow, undefined, silentLogger);
    const tg = await someone();
    const [requester] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Late list", categoryId: await w.categoryId() },
    });
    const update = updates.text(tg, "/my");
    await claimOf(update.update_id, 0);
    const res = await handle(
      new Request("http://bot/telegram/webhook", { method: "POST", body: JSON.stringify(update) }),
    );
    expect(await res.text()).toBe("ok");
    const list = () =>
      fake.calls.find(
        (c) =>
          c.method === "sendMessage" &&
          Number(c.params.chat_id) === tg.id &&
          JSON.stringify(c.params.reply_markup ?? "").includes(ticket.number),
      );
    const end = Date.now() + 5_000;
    while (!list() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(list()).toBeDefined();
  });
});

describe("an update whose process died half-way", () => {
  it("is run by the next webhook arrival once the claim is older than a handler could take", async () => {
    const { send } = botWorld();
    const tg = await someone();
    const before = answersTo(tg.id);
    const update = updates.text(tg, "/my");
    await claimOf(update.update_id, 120_000);
    await send(update);
    expect(answersTo(tg.id)).toBe(before + 1);
  });

  it("is run at once with long polling, where only one process receives updates", async () => {
    const { fake } = botWorld();
    const poller = await harnessBot(w, fake, STAFF);
    const claims = claimsFor(poller);
    if (claims) claims.polling = true;
    const tg = await someone();
    const before = answersTo(tg.id);
    const update = updates.text(tg, "/my");
    await claimOf(update.update_id, 1_000);
    await poller.handleUpdate(update as never);
    expect(answersTo(tg.id)).toBe(before + 1);
  });

  it("counts a row written before claims existed (no holder) as done", async () => {
    const { send } = botWorld();
    const tg = await someone();
    const before = answersTo(tg.id);
    const update = updates.text(tg, "/my");
    await claimOf(update.update_id, 0, null);
    await send(update);
    expect(answersTo(tg.id)).toBe(before);
  });
});
