import { eq } from "drizzle-orm";
import { Telegram } from "telegraf";
import { describe, expect, it } from "vitest";
import { createTelegramDeliverer } from "../../bot/delivery/deliverer.js";
import { botCalls } from "../../drizzle/schema/index.js";
import { createCallBudget, type RateLimits } from "../../server/domain/delivery/budget.js";
import { addTicketMessage, createTicket, updateTicket } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { drainAll, outboxWorker, setupFakeTelegram, TEST_PUBLIC_URL, TEST_TOKEN } from "./outbox-harness.js";

/**
 * A plain group's post about a ticket edits the ticket's card first (when it shows
 * something new), and a forum's new ticket opens its topic: one call more than
 * the post itself. The claim reserves it with the post, and gives back what was
 * not called. Before, the edit took the post's place and the post waited for room
 * on its own: in a group's window of 20 a minute, past its timeout (a failed,
 * unsent delivery) or past the 20 s after which a waiting call goes anyway (a 429).
 */
const GROUP = -1_004_200_000;
const LIMITS: RateLimits = {
  global: { count: 30, windowMs: 1000 },
  privateChat: { count: 1, windowMs: 1000 },
  groupChat: { count: 20, windowMs: 60_000 },
};
const world = setupTestWorld({ staffChatId: GROUP });
const fakeTelegram = setupFakeTelegram();

describe("a staff post's card edit", () => {
  it("is reserved with the post, and a place not called is given back", async () => {
    const w = world();
    const requester = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.system(),
      input: { title: "Projector", categoryId: await w.categoryId(), requesterId: requester.id },
    });
    const deliver = createTelegramDeliverer({
      db: w.db,
      i18n: await createI18n("en"),
      telegram: new Telegram(TEST_TOKEN, { apiRoot: fakeTelegram().url }),
      staffLanguage: "en",
      publicUrl: TEST_PUBLIC_URL,
      budget: createCallBudget(w.db, LIMITS),
    });
    const worker = outboxWorker(w.db, deliver, { limits: LIMITS });
    await drainAll(worker, w.db, 30_000);
    // The card now shows another priority: the message's post edits it first.
    await updateTicket({
      ctx: w.ctx(await w.user("admin")),
      input: { ticketId: ticket.id, priority: "high" },
    });
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ticket.id, body: "Still dark" } });
    await drainAll(worker, w.db, 30_000);

    const toGroup = fakeTelegram().calls.filter(
      (c) => Number(c.params.chat_id) === GROUP && !c.failure && c.method !== "getChat",
    );
    // The card, then for the message: the card's edit and the post under it.
    // The card; the priority's post, under the card edited to show it; the message's
    // post, under a card that shows nothing new.
    expect(toGroup.map((c) => c.method)).toEqual([
      "sendMessage",
      "editMessageText",
      "sendMessage",
      "sendMessage",
    ]);
    const taken = await w.db.select().from(botCalls).where(eq(botCalls.chatId, GROUP)).orderBy(botCalls.id);
    // One reservation per post, each of two calls, holding what was called: no place
    // taken on its own halfway through a post, the unneeded one given back.
    expect(taken.map((t) => t.calls)).toEqual([1, 2, 1]);
  });
});
