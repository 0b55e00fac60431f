import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeCallback } from "../../bot/ui/callback-data.js";
import { notifications, tickets, type User, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { setupBot } from "./bot-harness.js";

const STAFF = -1004100;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 640_000;
/** A Telegram user who has talked to the bot, with a role (and branch) set by an admin. */
async function person(lang: string, role: User["role"], branchId: string | null = null) {
  const { send } = botWorld();
  const tg = tgUser(nextId++, lang);
  await send(updates.text(tg, "/help"));
  const [row] = await w.db
    .update(users)
    .set({ role, branchId, languageChosen: true })
    .where(eq(users.telegramId, tg.id))
    .returning();
  return { tg, row };
}

describe("the staff card's buttons", () => {
  it("assign…, status… and priority… offer only valid choices, act through the domain, and come back to the card", async () => {
    const { send, fake, textsTo } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const north = await w.branch("north");
    const south = await w.branch("south");
    const requester = await person("en", "requester", north.id);
    const moderator = await person("ru", "moderator");
    const agentNorth = await person("fa", "agent", north.id);
    const agentSouth = await person("en", "agent", south.id);
    const ticket = await createTicket({
      ctx: w.ctx(requester.row),
      input: { title: "Projector in room 4", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    const [card] = await w.db.select().from(notifications).where(eq(notifications.ticketId, ticket.id));
    const cardId = card.sentMessageId ?? 0;
    const keyboard = () => {
      const markup = fake.callsOf("editMessageReplyMarkup").at(-1)?.params.reply_markup as {
        inline_keyboard: { text: string; callback_data?: string }[][];
      };
      return markup.inline_keyboard
        .flat()
        .map((b) => ({ text: b.text, action: decodeCallback(b.callback_data) }));
    };
    const answer = () => String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text ?? "");
    const tap = (who: TgUser, data: string) => send(updates.callback(who, data, STAFF, cardId));
    const short = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex").toString("base64url");

    // The card as posted: take, assign…, status…, priority…, requester… (bans), open in the Mini App.
    const posted = fake.sends(STAFF).at(-1)?.params.reply_markup as {
      inline_keyboard: { callback_data?: string; url?: string }[][];
    };
    expect(
      posted.inline_keyboard.flat().map((b) => (b.url ? "open" : decodeCallback(b.callback_data)?.a)),
    ).toEqual(["take", "menu", "menu", "menu", "modm", "open"]);

    // A moderator's assign menu: staff who cover the ticket's branch, not the other branch's agent.
    await tap(moderator.tg, `menu:${short(ticket.id)}:assign`);
    const offered = keyboard()
      .map((b) => b.action)
      .filter((a) => a?.a === "asg")
      .map((a) => (a as { u: string }).u);
    expect(offered).toContain(agentNorth.row.id);
    expect(offered).toContain(moderator.row.id);
    expect(offered).not.toContain(agentSouth.row.id);
    expect(offered).not.toContain(requester.row.id);
    expect(keyboard().at(-1)?.action).toEqual({ a: "menu", t: ticket.id, m: "main" });
    // The group's card speaks the staff language (fa), whoever taps; the pop-up answers are the presser's.
    expect(keyboard().at(-1)?.text).toBe("« بازگشت");

    await tap(moderator.tg, `asg:${short(ticket.id)}:${short(agentNorth.row.id)}`);
    let [row] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row.assigneeId).toBe(agentNorth.row.id);
    expect(answer()).toContain("теперь у"); // the moderator speaks Russian
    // Back on the card, without "take" now that someone has it.
    expect(keyboard().map((b) => b.action?.a)).toEqual(["menu", "menu", "menu", "modm", undefined]);
    // A stale "Take" (a topic's first post is not redrawn) does not take it from a colleague.
    await tap(moderator.tg, `take:${short(ticket.id)}`);
    expect(answer()).toMatch(/уже/i);
    [row] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row.assigneeId).toBe(agentNorth.row.id);

    // The assignee moves it to waiting for the customer; the requester hears of it.
    await tap(agentNorth.tg, `menu:${short(ticket.id)}:status`);
    const statuses = keyboard()
      .map((b) => b.action)
      .filter((a) => a?.a === "st")
      .map((a) => (a as { s: string }).s);
    expect(statuses.sort()).toEqual(["closed", "open", "resolved", "waiting_customer"]);
    await tap(agentNorth.tg, `st:${short(ticket.id)}:waiting_customer`);
    await tap(agentNorth.tg, `pr:${short(ticket.id)}:high`);
    [row] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect([row.status, row.priority]).toEqual(["waiting_customer", "high"]);
    expect(answer()).toContain("اولویت"); // the agent speaks Persian
    await drainAll(worker, w.db);
    expect(textsTo(requester.tg.id).join("\n")).toMatch(/Waiting/i);
    // The staff chat hears of the new priority (staff language, fa), and the card is redrawn with it.
    const fa = (await createI18n("fa")).getFixedT("fa");
    const high = fa("common:priority.high");
    expect(textsTo(STAFF)).toContain(
      fa("notify:priority_chat", { number: ticket.number, from: fa("common:priority.normal"), to: high }),
    );
    const redrawn = fake
      .callsOf("editMessageText")
      .filter((c) => c.params.message_id === cardId)
      .at(-1);
    expect(String(redrawn?.params.text)).toContain(high);

    // An agent cannot hand it to someone else: their menu offers only letting go.
    await tap(agentNorth.tg, `menu:${short(ticket.id)}:assign`);
    expect(keyboard().map((b) => b.action)).toEqual([
      { a: "asg", t: ticket.id, u: "-" },
      { a: "menu", t: ticket.id, m: "main" },
    ]);

    // Out of scope or not staff: refused, translated, nothing changes.
    await tap(agentSouth.tg, `menu:${short(ticket.id)}:assign`);
    expect(answer()).toMatch(/not found|not allowed/i);
    await tap(agentSouth.tg, `st:${short(ticket.id)}:closed`);
    await tap(requester.tg, `pr:${short(ticket.id)}:low`);
    expect(answer()).toMatch(/not allowed/i);
    [row] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect([row.status, row.priority, row.assigneeId]).toEqual([
      "waiting_customer",
      "high",
      agentNorth.row.id,
    ]);
  });
});
