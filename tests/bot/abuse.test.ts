import { and, asc, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditLog, messages, notifications, settings, type User, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { type TgUser, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { harnessBot, setupBot } from "./bot-harness.js";

const STAFF = -1004900;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});
afterEach(async () => {
  await w.db.delete(settings).where(eq(settings.key, "flood_messages_per_minute"));
});

let nextId = 690_000;
async function person(lang: string, role: User["role"]) {
  const tg = tgUser(nextId++, lang);
  await botWorld().send(updates.text(tg, "/help"));
  const [row] = await w.db
    .update(users)
    .set({ role, languageChosen: true })
    .where(eq(users.telegramId, tg.id))
    .returning();
  return { tg, row };
}

/** A requester with a ticket, and the /track card they reply to (each reply goes into the ticket). */
async function requesterWithCard() {
  const { send, fake } = botWorld();
  const requester = await person("en", "requester");
  const ticket = await createTicket({
    ctx: w.ctx(requester.row),
    input: { title: "Laptop will not boot", categoryId: await w.categoryId() },
  });
  await send(updates.text(requester.tg, `/track ${ticket.number}`));
  const card = fake.calls
    .filter((c) => c.method === "sendMessage" && c.params.chat_id === requester.tg.id)
    .at(-1)?.result as { message_id: number };
  const reply = (text: string) => updates.text(requester.tg, text, { reply_to_message: card });
  return { ...requester, ticket, reply };
}

const bodies = async (ticketId: string) =>
  (await w.db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.seq))).map(
    (m) => m.body,
  );

describe("flood control", () => {
  it("warns once, stores nothing over the limit, shares the count between instances, and lets the user in again when the bucket refills", async () => {
    const { send, fake, textsTo } = botWorld();
    await w.db.insert(settings).values({ key: "flood_messages_per_minute", value: 5 });
    const { tg, ticket, reply } = await requesterWithCard(); // /help and /track: two of the five
    for (const text of ["one", "two", "three", "four", "five"]) await send(reply(text));
    expect(await bodies(ticket.id)).toEqual(["one", "two", "three"]);
    const warning = "You are sending messages too fast";
    expect(textsTo(tg.id).filter((t) => t.includes(warning))).toHaveLength(1);

    // A second instance on the same database counts against the same bucket: refused, no second warning.
    const other = await harnessBot(w, fake, STAFF);
    await other.handleUpdate(reply("six") as never);
    expect(await bodies(ticket.id)).toEqual(["one", "two", "three"]);
    expect(textsTo(tg.id).filter((t) => t.includes(warning))).toHaveLength(1);

    // A minute later (the bucket's clock moved back) there is room again, and a new flood warns again.
    await w.db.execute(
      sql`update rate_buckets set updated_at = updated_at - interval '1 minute' where key = ${`flood:${tg.id}`}`,
    );
    await send(reply("seven"));
    expect(await bodies(ticket.id)).toEqual(["one", "two", "three", "seven"]);

    // Flooding again at once (four places were left): refused, and no second warning within ten minutes.
    for (const text of ["eight", "nine", "ten", "eleven", "twelve"]) await send(reply(text));
    const second = ["one", "two", "three", "seven", "eight", "nine", "ten", "eleven"];
    expect(await bodies(ticket.id)).toEqual(second);
    expect(textsTo(tg.id).filter((t) => t.includes(warning))).toHaveLength(1);
    // Ten minutes on (both buckets' clocks moved back), a new flood is warned again.
    await w.db.execute(
      sql`update rate_buckets set updated_at = updated_at - interval '10 minutes' where key in (${`flood:${tg.id}`}, ${`flood-warning:${tg.id}`})`,
    );
    for (const text of ["a", "b", "c", "d", "e", "f"]) await send(reply(text));
    expect(await bodies(ticket.id)).toEqual([...second, "a", "b", "c", "d", "e"]);
    expect(textsTo(tg.id).filter((t) => t.includes(warning))).toHaveLength(2);
  });

  it("does not limit staff", async () => {
    const { send, textsTo } = botWorld();
    await w.db.insert(settings).values({ key: "flood_messages_per_minute", value: 1 });
    const agent = await person("en", "agent");
    for (let i = 0; i < 4; i++) await send(updates.text(agent.tg, "/help"));
    expect(textsTo(agent.tg.id).filter((t) => t.includes("too fast"))).toHaveLength(0);
  });
});

describe("ban and shadow-ban from the staff card", () => {
  async function cardOf(ticketId: string) {
    const { fake } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    await drainAll(worker, w.db);
    const [row] = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticketId), eq(notifications.chatId, STAFF)));
    return row.sentMessageId ?? 0;
  }
  const short = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex").toString("base64url");
  const answer = () => String(botWorld().fake.callsOf("answerCallbackQuery").at(-1)?.params.text ?? "");

  it("lets a moderator ban (audited) and unban; an agent is refused; a banned requester gets one notice and nothing is stored", async () => {
    const { send, textsTo, fake } = botWorld();
    const requester = await requesterWithCard();
    const moderator = await person("en", "moderator");
    const agent = await person("en", "agent");
    const cardId = await cardOf(requester.ticket.id);
    const tap = (who: TgUser, data: string) => send(updates.callback(who, data, STAFF, cardId));
    const t = short(requester.ticket.id);

    // The card carries the "Requester…" button; its menu offers ban, shadow-ban, unban and back.
    const posted = fake.sends(STAFF).at(-1)?.params.reply_markup as {
      inline_keyboard: { callback_data?: string }[][];
    };
    expect(posted.inline_keyboard.flat().map((b) => b.callback_data)).toContain(`modm:${t}`);
    await tap(moderator.tg, `modm:${t}`);
    const menu = fake.callsOf("editMessageReplyMarkup").at(-1)?.params.reply_markup as {
      inline_keyboard: { callback_data?: string }[][];
    };
    expect(menu.inline_keyboard.flat().map((b) => b.callback_data)).toEqual([
      `mod:${t}:banned`,
      `mod:${t}:shadow`,
      `mod:${t}:none`,
      `menu:${t}:main`,
    ]);

    await tap(agent.tg, `mod:${t}:banned`);
    expect(answer()).toMatch(/not allowed/i);
    await tap(moderator.tg, `mod:${t}:banned`);
    expect(answer()).toContain("is banned");
    const [banned] = await w.db.select().from(users).where(eq(users.id, requester.row.id));
    expect(banned.moderation).toBe("banned");
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, requester.row.id));
    expect(audit.map((a) => [a.action, a.actorId, a.before, a.after])).toEqual([
      ["user.moderate.banned", moderator.row.id, { moderation: "none" }, { moderation: "banned" }],
    ]);

    const before = textsTo(requester.tg.id).length;
    await send(requester.reply("hello?"));
    await send(requester.reply("anyone?"));
    await send(updates.text(requester.tg, "/my"));
    await send(updates.callback(requester.tg, `card:${t}`));
    const after = textsTo(requester.tg.id).slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain("can no longer use this support bot");
    expect(await bodies(requester.ticket.id)).toEqual([]);

    await tap(moderator.tg, `mod:${t}:none`);
    expect(answer()).toContain("no longer banned");
    await send(requester.reply("back again"));
    expect(await bodies(requester.ticket.id)).toEqual(["back again"]);
  });

  it("answers a shadow-banned requester as usual but stores nothing and tells staff nothing", async () => {
    const { send, textsTo, fake } = botWorld();
    const requester = await requesterWithCard();
    const admin = await person("en", "admin");
    const cardId = await cardOf(requester.ticket.id);
    await send(updates.callback(admin.tg, `mod:${short(requester.ticket.id)}:shadow`, STAFF, cardId));
    expect(answer()).toContain("shadow-banned");
    const staffPosts = fake.sends(STAFF).length;
    await send(requester.reply("spam spam spam"));
    expect(textsTo(requester.tg.id).at(-1)).toContain("Message received");
    // Commands still answer: /my lists their ticket (reading stores nothing).
    await send(updates.text(requester.tg, "/my"));
    expect(textsTo(requester.tg.id).at(-1)).toContain("Your tickets");
    expect(await bodies(requester.ticket.id)).toEqual([]);
    await drainAll(await deliveryWorker(w.db, fake), w.db);
    expect(fake.sends(STAFF)).toHaveLength(staffPosts);
  });
});
