import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushUpdateClaims, webhookHandler } from "../../bot/create-bot.js";
import { startBot } from "../../bot/runtime.js";
import type { Db } from "../../drizzle/client.js";
import { messages, notifications, processedUpdates } from "../../drizzle/schema/index.js";
import { createI18n } from "../../server/i18n.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { silentLogger } from "../jobs/outbox-harness.js";
import { harnessBot, openTicketAs, setupBot } from "./bot-harness.js";

const STAFF = -1004000;
const world = setupTestWorld();
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

/**
 * The test database behind a switch: while down, every use fails as postgres.js
 * fails when the server is gone (after `failAfter` more uses, to cut a handler
 * off half-way). The bot under test gets it; the test reads through the real one.
 */
function switchableDb(db: Db) {
  let down = false;
  let pass = 0;
  let fail = Number.POSITIVE_INFINITY;
  const gone = () =>
    Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
  const proxy = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (down && pass-- <= 0) {
          if (--fail <= 0) down = false;
          throw gone();
        }
        return value.apply(target, args);
      };
    },
  });
  return {
    db: proxy,
    /** Away: after `after` more uses go through, for `times` uses (then back by itself). */
    down(after = 0, times = Number.POSITIVE_INFINITY) {
      down = true;
      pass = after;
      fail = times;
    },
    up() {
      down = false;
    },
  };
}

const stored = (ticketId: string) => w.db.select().from(messages).where(eq(messages.ticketId, ticketId));
/** The acknowledgements queued for a chat ("✉️ Added to T-…", sent by the outbox). */
const acknowledged = async (chatId: number) =>
  (await w.db.select().from(notifications).where(eq(notifications.chatId, chatId))).filter(
    (n) => n.type === "received",
  ).length;
/** Every Bot API call to a chat (an answer, a reaction, a chat action), a webhook answer's too. */
const sentTo = (chatId: number) =>
  botWorld().fake.calls.filter((c) => !c.failure && Number(c.params.chat_id) === chatId);

/** A requester whose session replies to their open ticket, and a bot on the switchable database. */
async function requesterReplying(id: number) {
  const bw = botWorld();
  const { requesterTg, ticket } = await openTicketAs(bw, w, tgUser(id, "en"), `Printer ${id}`);
  await bw.send(updates.callback(requesterTg, `reply:${ticket.id.replaceAll("-", "")}`));
  const db = switchableDb(w.db);
  const bot = await harnessBot({ ...w, db: db.db } as World, bw.fake, STAFF);
  return { requesterTg, ticket, db, bot };
}

describe("a webhook update while the database is unavailable", () => {
  it("is handed back with 503 and no apology, then stored once when Telegram delivers it again", async () => {
    const { requesterTg, ticket, db, bot } = await requesterReplying(730_001);
    const handle = webhookHandler(bot, undefined, silentLogger);
    const update = updates.text(requesterTg, "The printer jams on every page");
    // As Telegram does: the call a webhook answer carries is made.
    const post = async () => {
      const res = await handle(
        new Request("http://bot/telegram/webhook", { method: "POST", body: JSON.stringify(update) }),
      );
      if (res.status === 200)
        await botWorld().fake.webhookAnswer(res.headers.get("content-type"), await res.text());
      return res;
    };
    const before = sentTo(requesterTg.id).length;
    db.down();
    expect((await post()).status).toBe(503);
    expect(sentTo(requesterTg.id)).toHaveLength(before);
    db.up();
    expect((await post()).status).toBe(200);
    expect((await stored(ticket.id)).map((m) => m.body)).toEqual(["The printer jams on every page"]);
    expect(await acknowledged(requesterTg.id)).toBe(1);
    expect(sentTo(requesterTg.id)).toHaveLength(before);
    await flushUpdateClaims(bot);
    // Delivered a third time (Telegram did not see the 200): nothing more.
    expect((await post()).status).toBe(200);
    expect(await stored(ticket.id)).toHaveLength(1);
    expect(await acknowledged(requesterTg.id)).toBe(1);
    expect(sentTo(requesterTg.id)).toHaveLength(before);
  });

  it("gives the claim back when the database goes away after the claim was taken", async () => {
    const { requesterTg, ticket, db, bot } = await requesterReplying(730_002);
    const handle = webhookHandler(bot, undefined, silentLogger);
    const update = updates.text(requesterTg, "Still jammed");
    const post = () =>
      handle(new Request("http://bot/telegram/webhook", { method: "POST", body: JSON.stringify(update) }));
    // The update's first statement (its claim, sender and session) goes through, the next
    // fails; the database is back for the claim to be given back.
    db.down(1, 1);
    expect((await post()).status).toBe(503);
    const claim = await w.db
      .select()
      .from(processedUpdates)
      .where(eq(processedUpdates.updateId, update.update_id));
    expect(claim.filter((c) => c.finished)).toHaveLength(0);
    // Another instance (no wait for a claim left open) takes it at once.
    const other = await harnessBot(w, botWorld().fake, STAFF, { claimOptions: { waitMs: 0 } });
    const res = await webhookHandler(
      other,
      undefined,
      silentLogger,
    )(new Request("http://bot/telegram/webhook", { method: "POST", body: JSON.stringify(update) }));
    expect(res.status).toBe(200);
    expect((await stored(ticket.id)).map((m) => m.body)).toEqual(["Still jammed"]);
    expect(await acknowledged(requesterTg.id)).toBe(1);
  });
});

describe("a polled update while the database is unavailable", () => {
  let stop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await stop?.();
  });

  it("is tried again until the database is back, and stored once", async () => {
    const { requesterTg, ticket, db, bot } = await requesterReplying(730_003);
    db.down();
    const runtime = await startBot(bot, await createI18n("fa"), silentLogger, {
      defaultLanguage: "fa",
      db: w.db,
      handBack: { firstMs: 50, maxMs: 100 },
    });
    stop = runtime.stop;
    const before = sentTo(requesterTg.id).length;
    botWorld().fake.pushUpdate(updates.text(requesterTg, "Paper tray is stuck") as never);
    // Several tries fail while the database is away, and nobody gets an apology.
    await new Promise((r) => setTimeout(r, 600));
    expect(await stored(ticket.id)).toHaveLength(0);
    expect(sentTo(requesterTg.id)).toHaveLength(before);
    db.up();
    await expect
      .poll(async () => (await stored(ticket.id)).map((m) => m.body), { timeout: 5000 })
      .toEqual(["Paper tray is stuck"]);
    expect(await acknowledged(requesterTg.id)).toBe(1);
    expect(sentTo(requesterTg.id)).toHaveLength(before);
  });
});
