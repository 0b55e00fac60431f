import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCallback } from "../../bot/ui/callback-data.js";
import { attachments, messages, tickets, type User, users } from "../../drizzle/schema/index.js";
import { addTicketMessage, changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { setupBot } from "./bot-harness.js";

const world = setupTestWorld();
const botWorld = setupBot(world);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 400_000;
async function requesterWithTicket(lang = "en") {
  const tg = tgUser(nextId++, lang);
  await botWorld().send(updates.text(tg, "/help"));
  const [user] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
  const ticket = await createTicket({
    ctx: w.ctx(user),
    input: { title: "Laptop will not boot", categoryId: await w.categoryId() },
  });
  return { tg, user: user as User, ticket };
}
const threadOf = (ticketId: string) =>
  w.db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.seq));

describe("first contact", () => {
  it("asks for a language on the first /start and then speaks it", async () => {
    const { send, textsTo, lastButtons } = botWorld();
    const tg = tgUser(nextId++, "de");
    await send(updates.text(tg, "/start"));
    expect(lastButtons(tg.id)).toEqual(["lang:fa", "lang:en", "lang:ru"]);
    await send(updates.callback(tg, "lang:ru"));
    expect(textsTo(tg.id).at(-1)).toContain("Добро пожаловать");
    const [u] = await w.db.select().from(users).where(eq(users.telegramId, tg.id));
    expect(u).toMatchObject({ language: "ru", languageChosen: true });
    await send(updates.text(tg, "/start"));
    expect(textsTo(tg.id).at(-1)).toContain("Добро пожаловать");
  });

  it("takes each update once, even when Telegram delivers it twice", async () => {
    const { send, textsTo } = botWorld();
    const tg = tgUser(nextId++, "en");
    const update = updates.text(tg, "/help");
    await send(update);
    await send(update);
    expect(textsTo(tg.id)).toHaveLength(1);
  });

  it("answers unknown commands, refused kinds of message and forged buttons without storing anything", async () => {
    const { send, textsTo, fake } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/frobnicate"));
    expect(textsTo(tg.id).at(-1)).toContain("don't know that command");
    await send(updates.kind(tg, "dice"));
    expect(textsTo(tg.id).at(-1)).toContain("can't add a dice to a ticket");
    // A staff button forged by a requester: refused for what they are, whichever ticket it names.
    await send(updates.callback(tg, "take:ffffffffffffffffffffffffffffffff"));
    expect(String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toMatch(/not allowed/i);
    await send(updates.callback(tg, "card:ffffffffffffffffffffffffffffffff"));
    expect(String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toMatch(/not found/i);
    await send(updates.callback(tg, "drop:tables"));
    expect(String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toContain("no longer valid");
  });
});

describe("following a ticket", () => {
  it("lists own tickets with /my and finds one with /track in Persian digits", async () => {
    const { send, textsTo, lastButtons } = botWorld();
    const { tg, ticket } = await requesterWithTicket("fa");
    await send(updates.text(tg, "/my"));
    expect(lastButtons(tg.id)).toContain(encodeCallback({ a: "card", t: ticket.id }));
    const persian = ticket.number.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
    await send(updates.text(tg, `/track ${persian}`));
    expect(textsTo(tg.id).at(-1)).toContain(ticket.number);
    expect(textsTo(tg.id).at(-1)).toContain("وضعیت");
  });

  it("takes a Telegram reply to a card from /track into that ticket's thread, with two tickets open", async () => {
    const { send, fake, textsTo } = botWorld();
    const { tg, user, ticket } = await requesterWithTicket();
    const other = await createTicket({
      ctx: w.ctx(user),
      input: { title: "Printer jams", categoryId: await w.categoryId() },
    });
    await send(updates.text(tg, `/track ${ticket.number}`));
    const card = fake.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === tg.id).at(-1)
      ?.result as { message_id: number };
    await send(updates.text(tg, "It shows a black screen now", { reply_to_message: card }));
    expect(textsTo(tg.id).at(-1)).toContain(ticket.number);
    expect((await threadOf(ticket.id)).map((m) => m.body)).toContain("It shows a black screen now");
    expect(await threadOf(other.id)).toHaveLength(0);
    // The same words in a message of the user's own that merely looks like a card name no ticket.
    const forged = { ...card, from: { id: tg.id, is_bot: false, first_name: tg.first_name } };
    await send(updates.text(tg, "Forged reply", { reply_to_message: forged }));
    expect((await threadOf(ticket.id)).map((m) => m.body)).not.toContain("Forged reply");
  });

  it("pages through /my newest first with status emoji, and opens a card from a t_ deep link", async () => {
    const { send, fake, textsTo, lastButtons } = botWorld();
    const { tg, user, ticket: oldest } = await requesterWithTicket();
    const more: Awaited<ReturnType<typeof createTicket>>[] = [];
    for (let i = 1; i <= 6; i++) {
      more.push(
        await createTicket({
          ctx: w.ctx(user),
          input: { title: `Issue number ${i}`, categoryId: await w.categoryId() },
        }),
      );
    }
    await changeTicketStatus({ ctx: w.ctx(user), input: { ticketId: more[5].id, status: "closed" } });
    const listed = () => {
      const last = fake.calls
        .filter((c) => Number(c.params.chat_id) === tg.id && c.params.reply_markup)
        .at(-1);
      const markup = last?.params.reply_markup as { inline_keyboard: { text: string }[][] } | undefined;
      return (markup?.inline_keyboard ?? []).flat().map((b) => b.text);
    };
    await send(updates.text(tg, "/my"));
    const first = listed();
    // Five a page, newest first, each with its status emoji; a closed one shows ⚫.
    expect(first.slice(0, 5)).toEqual([
      `⚫ ${more[5].number} · Issue number 6`,
      ...[5, 4, 3, 2].map((i) => `🟢 ${more[i - 1].number} · Issue number ${i}`),
    ]);
    expect(lastButtons(tg.id)).toContain("my:1");
    await send(updates.callback(tg, "my:1"));
    const second = listed();
    expect(second.slice(0, 2)).toEqual([
      `🟢 ${more[0].number} · Issue number 1`,
      `🟢 ${oldest.number} · Laptop will not boot`,
    ]);
    expect(lastButtons(tg.id)).toContain("my:0");
    expect(lastButtons(tg.id)).not.toContain("my:2");

    // A deep link t_<number> opens that ticket's card: dates, and the last public messages only.
    await addTicketMessage({ ctx: w.ctx(user), input: { ticketId: oldest.id, body: "Still broken today" } });
    const [agent] = await w.db
      .insert(users)
      .values({ telegramId: nextId++, firstName: "Agent", role: "agent" })
      .returning();
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: { ticketId: oldest.id, body: "Internal: order a new board", internal: true },
    });
    await send(updates.text(tg, `/start t_${oldest.number}`));
    const card = textsTo(tg.id).at(-1) ?? "";
    expect(card).toContain(oldest.number);
    expect(card).toMatch(/Opened: \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
    expect(card).toContain("Last messages:");
    expect(card).toContain("Still broken today");
    expect(card).not.toContain("order a new board");
    // Someone else's number in a deep link shows nothing of it.
    const stranger = tgUser(nextId++, "en");
    await send(updates.text(stranger, `/start t_${oldest.number}`));
    expect(textsTo(stranger.id).at(-1)).not.toContain("Laptop will not boot");
  });

  it("does not show someone else's ticket", async () => {
    const { send, textsTo } = botWorld();
    const { ticket } = await requesterWithTicket();
    const stranger = tgUser(nextId++, "en");
    await send(updates.text(stranger, `/track ${ticket.number}`));
    expect(textsTo(stranger.id).at(-1)).toMatch(/not found|no access/i);
  });

  it("adds replies, photos and edits to the thread; closes, reopens and rates from the card", async () => {
    const { send, textsTo, fake } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    const id = ticket.id.replaceAll("-", "");
    await send(updates.callback(tg, `reply:${id}`));
    const msg = updates.text(tg, "It beeps three times");
    await send(msg);
    await send(updates.photo(tg, { caption: "the screen" }));
    // "Added" answers go through the outbox, within the chat's budget.
    const worker = await deliveryWorker(w.db, fake);
    await drainAll(worker, w.db);
    expect(textsTo(tg.id).at(-1)).toContain(`Added to ${ticket.number}`);
    const filesBack = () =>
      fake.calls.filter(
        (c) => Number(c.params.chat_id) === tg.id && /^send(Photo|MediaGroup)$/.test(c.method),
      );
    // The answer names the ticket; it never sends the person's own photo back.
    expect(filesBack()).toHaveLength(0);
    // Telegram allows 4096 characters; the thread keeps 4000: the person is told, nothing is stored.
    await send(updates.text(tg, "z".repeat(4050)));
    expect(textsTo(tg.id).at(-1)).toContain("at most 4000 characters");
    await send(updates.document(tg, { size: 11 * 1024 * 1024 }));
    expect(textsTo(tg.id).at(-1)).toBe("The file is too large: at most 10 MB.");
    await send(updates.edited(tg, msg.message.message_id, "It beeps four times"));
    expect((await threadOf(ticket.id)).map((m) => m.body).sort()).toEqual([
      "It beeps four times",
      "the screen",
    ]);
    // The edit changes the staff's copies, not the "Added" answer.
    const answersBefore = textsTo(tg.id).length;
    await drainAll(worker, w.db);
    expect(
      fake.calls.filter((c) => c.method === "editMessageText" && Number(c.params.chat_id) === tg.id),
    ).toHaveLength(0);
    expect(textsTo(tg.id).length).toBe(answersBefore);

    await send(updates.callback(tg, `close:${id}`));
    expect((await w.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0].status).toBe("closed");
    await send(updates.callback(tg, `rate:${id}:4`));
    expect((await w.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0].rating).toBe(4);
    await send(updates.callback(tg, `reopen:${id}`));
    expect((await w.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0].status).toBe("open");
  });

  it("asks for a rating when the ticket is resolved; the rating can be changed and given a comment", async () => {
    const { send, textsTo, lastButtons, fake } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    const agent = await w.user("agent");
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "resolved" } });
    await drainAll(await deliveryWorker(w.db, fake), w.db);
    expect(textsTo(tg.id).at(-1)).toContain(
      `Your ticket ${ticket.number} “Laptop will not boot” is resolved`,
    );
    const stars = lastButtons(tg.id).filter((b) => b.startsWith("rate:"));
    expect(stars).toHaveLength(5);
    expect(lastButtons(tg.id)).toContain(encodeCallback({ a: "reopen", t: ticket.id }));

    await send(updates.callback(tg, stars[1]));
    await send(updates.callback(tg, stars[4]));
    const rated = (await w.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0];
    expect(rated.rating).toBe(5);
    // The buttons stay, the chosen one marked, with a comment button under them.
    const markup = fake.callsOf("editMessageReplyMarkup").at(-1)?.params.reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    expect(markup.inline_keyboard.flat().map((b) => b.text)).toContain("✅ ⭐⭐⭐⭐⭐");
    const comment = markup.inline_keyboard.flat().find((b) => b.callback_data.startsWith("rcom:"));
    await send(updates.callback(tg, comment?.callback_data as string));
    expect(textsTo(tg.id).at(-1)).toContain(`Write your comment about ${ticket.number}`);
    await send(updates.text(tg, "Quick and kind, thank you"));
    expect(textsTo(tg.id).at(-1)).toContain("your comment was saved");
    const commented = (await w.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0];
    expect([commented.rating, commented.ratingComment]).toEqual([5, "Quick and kind, thank you"]);
    // The comment went to the rating, not into the thread.
    expect(await threadOf(ticket.id)).toHaveLength(0);
  });

  it("asks whether a loose message belongs to the one open ticket", async () => {
    const { send, lastButtons } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    await send(updates.text(tg, "any news?"));
    const into = lastButtons(tg.id).find((b) => b.startsWith("into:"));
    expect(into).toBe(encodeCallback({ a: "into", t: ticket.id }));
    await send(updates.callback(tg, into as string));
    expect((await threadOf(ticket.id)).map((m) => m.body)).toEqual(["any news?"]);
    // A loose photo (with or without a caption) is asked about too, and kept with its file.
    await send(updates.photo(tg, { caption: "the error screen" }));
    await send(updates.callback(tg, lastButtons(tg.id).find((b) => b.startsWith("into:")) as string));
    await send(updates.photo(tg));
    await send(updates.callback(tg, lastButtons(tg.id).find((b) => b.startsWith("into:")) as string));
    const thread = await threadOf(ticket.id);
    expect(thread.map((m) => m.body)).toEqual(["any news?", "the error screen", ""]);
    const files = await w.db.select().from(attachments).where(eq(attachments.ticketId, ticket.id));
    expect(files).toHaveLength(2);
  });

  it("flags a user who blocks the bot, and clears it when they come back", async () => {
    const { send } = botWorld();
    const { tg, user } = await requesterWithTicket();
    await send(updates.blocked(tg, true));
    expect((await w.db.select().from(users).where(eq(users.id, user.id)))[0].botBlocked).toBe(true);
    await send(updates.blocked(tg, false));
    expect((await w.db.select().from(users).where(eq(users.id, user.id)))[0].botBlocked).toBe(false);
  });

  it("clears the flag when a flagged person writes in private (Telegram refused a message before their first /start)", async () => {
    const { send } = botWorld();
    const { tg, user } = await requesterWithTicket();
    await w.db.update(users).set({ botBlocked: true }).where(eq(users.id, user.id));
    await send(updates.text(tg, "/start"));
    expect((await w.db.select().from(users).where(eq(users.id, user.id)))[0].botBlocked).toBe(false);
  });

  it("toggles notification kinds from /settings", async () => {
    const { send, lastButtons } = botWorld();
    const { tg, user } = await requesterWithTicket();
    await send(updates.text(tg, "/settings"));
    expect(lastButtons(tg.id)).toContain("pref:status_changed");
    await send(updates.callback(tg, "pref:status_changed"));
    expect((await w.db.select().from(users).where(eq(users.id, user.id)))[0].notifyPrefs).toEqual({
      status_changed: false,
    });
  });
});

describe("commands in the wrong place", () => {
  it("answers requester commands sent in a group with a pointer to the private chat", async () => {
    const { send, textsTo } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.groupText(tg, -1009999, "/new"));
    expect(textsTo(-1009999).at(-1)).toContain("private chat");
  });
});

describe("albums", () => {
  it("arrive in the thread as one message with all its files, answered once", async () => {
    const { send, textsTo, fake } = botWorld();
    const { tg, ticket } = await requesterWithTicket();
    const worker = await deliveryWorker(w.db, fake);
    await send(updates.callback(tg, `reply:${ticket.id.replaceAll("-", "")}`));
    await drainAll(worker, w.db);
    const before = textsTo(tg.id).length;
    const first = updates.photo(tg, { mediaGroupId: "alb-9", caption: "three angles" });
    await send(first);
    await send(updates.photo(tg, { mediaGroupId: "alb-9" }));
    await send(updates.photo(tg, { mediaGroupId: "alb-9" }));
    await send(first);
    const thread = await threadOf(ticket.id);
    expect(thread).toHaveLength(1);
    expect(thread[0].body).toBe("three angles");
    const { attachments } = await import("../../drizzle/schema/index.js");
    expect(await w.db.select().from(attachments).where(eq(attachments.messageId, thread[0].id))).toHaveLength(
      3,
    );
    await drainAll(worker, w.db);
    expect(textsTo(tg.id).length - before).toBe(1);
    const filesBack = fake.calls.filter(
      (c) => Number(c.params.chat_id) === tg.id && /^send(Photo|MediaGroup)$/.test(c.method),
    );
    expect(filesBack).toHaveLength(0);
    expect(textsTo(tg.id).at(-1)).toContain(`Added to ${ticket.number}`);
  });
});
