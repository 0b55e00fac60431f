import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCallback } from "../../bot/ui/callback-data.js";
import { messages, notifications, tickets, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { openTicketAs, setupBot } from "./bot-harness.js";

const STAFF = -1004000;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 500_000;

const requesterWithTicket = (title: string) => openTicketAs(botWorld(), w, tgUser(nextId++, "en"), title);

describe("working a ticket from the staff chat", () => {
  it("relays staff replies to the requester, keeps notes internal, refuses non-staff, and takes tickets", async () => {
    const { send, fake, textsTo } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const requesterTg = tgUser(nextId++, "en");
    const agentTg = tgUser(nextId++, "en");
    const outsiderTg = tgUser(nextId++, "en");
    for (const u of [requesterTg, agentTg, outsiderTg]) await send(updates.text(u, "/help"));
    await w.db.update(users).set({ role: "agent" }).where(eq(users.telegramId, agentTg.id));
    const [requester] = await w.db.select().from(users).where(eq(users.telegramId, requesterTg.id));
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Door card reader", categoryId: await w.categoryId() },
    });

    await drainAll(worker, w.db);
    const post = fake.sends(STAFF).at(-1);
    expect(String(post?.params.text)).toContain(ticket.number);
    // The post's Telegram message id, as the outbox recorded it.
    const [row] = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.chatId, STAFF)));
    const postId = row.sentMessageId ?? 0;
    expect(postId).toBeGreaterThan(0);

    await send(updates.groupText(agentTg, STAFF, "We are replacing the reader today", postId));
    expect(textsTo(STAFF).at(-1)).toContain("Sent to the requester");
    await send(updates.groupText(agentTg, STAFF, "/note vendor invoice #77", postId));
    await send(updates.groupText(agentTg, STAFF, "! spare reader in storage", postId));
    await send(updates.groupText(outsiderTg, STAFF, "I am not staff", postId));
    expect(textsTo(STAFF).at(-1)).toContain("Only staff");

    const thread = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(thread.map((m) => [m.body, m.isInternal]).sort()).toEqual([
      ["We are replacing the reader today", false],
      ["spare reader in storage", true],
      ["vendor invoice #77", true],
    ]);

    await drainAll(worker, w.db);
    const toRequester = textsTo(requesterTg.id).join("\n");
    expect(toRequester).toContain("We are replacing the reader today");
    expect(toRequester).not.toContain("vendor invoice");
    expect(toRequester).not.toContain("spare reader");

    await send(updates.callback(agentTg, `take:${ticket.id.replaceAll("-", "")}`, STAFF, postId));
    const [after] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    const [agent] = await w.db.select().from(users).where(eq(users.telegramId, agentTg.id));
    expect(after.assigneeId).toBe(agent.id);
    await send(updates.callback(outsiderTg, `take:${ticket.id.replaceAll("-", "")}`, STAFF, postId));
    expect(String(fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toMatch(/not found|not allowed/i);
  });
});

describe("edits", () => {
  it("sync both ways: a requester's edit changes the staff chat copy, a staff edit changes the requester's copy", async () => {
    const { send, fake, textsTo } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const requesterTg = tgUser(nextId++, "en");
    const agentTg = tgUser(nextId++, "en");
    for (const u of [requesterTg, agentTg]) await send(updates.text(u, "/help"));
    await w.db.update(users).set({ role: "agent" }).where(eq(users.telegramId, agentTg.id));
    const [requester] = await w.db.select().from(users).where(eq(users.telegramId, requesterTg.id));
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Edit sync", categoryId: await w.categoryId() },
    });
    await send(updates.callback(requesterTg, `reply:${ticket.id.replaceAll("-", "")}`));
    const original = updates.text(requesterTg, "The screen is blue");
    await send(original);
    await drainAll(worker, w.db);
    await send(updates.edited(requesterTg, original.message.message_id, "The screen is black"));
    await drainAll(worker, w.db);
    const staffEdit = fake
      .callsOf("editMessageText")
      .find((c) => Number(c.params.chat_id) === STAFF && String(c.params.text).includes("black"));
    expect(staffEdit).toBeDefined();

    const [post] = await w.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.ticketId, ticket.id),
          eq(notifications.chatId, STAFF),
          eq(notifications.type, "new_ticket"),
        ),
      );
    const answer = updates.groupText(agentTg, STAFF, "Restart it please", post.sentMessageId ?? 0);
    await send(answer);
    await drainAll(worker, w.db);
    await send({
      update_id: answer.update_id + 50_000,
      edited_message: {
        ...answer.message,
        text: "Restart it twice please",
        edit_date: Math.floor(Date.now() / 1000),
      },
    });
    await drainAll(worker, w.db);
    const requesterEdit = fake
      .callsOf("editMessageText")
      .find((c) => Number(c.params.chat_id) === requesterTg.id && String(c.params.text).includes("twice"));
    expect(requesterEdit).toBeDefined();

    // An edited note keeps its words without the "!" marker; a sticker or a pin in the group gets no answer.
    const note = updates.groupText(agentTg, STAFF, "! vendor is slow", post.sentMessageId ?? 0);
    await send(note);
    await send({
      update_id: note.update_id + 50_000,
      edited_message: {
        ...note.message,
        text: "! vendor is very slow",
        edit_date: Math.floor(Date.now() / 1000),
      },
    });
    const [stored] = await w.db
      .select()
      .from(messages)
      .where(and(eq(messages.tgChatId, STAFF), eq(messages.tgMessageId, note.message.message_id)));
    expect([stored.body, stored.isInternal]).toEqual(["vendor is very slow", true]);
    const answersBefore = textsTo(STAFF).length;
    await send({
      update_id: note.update_id + 60_000,
      message: {
        message_id: 999_001,
        date: Math.floor(Date.now() / 1000),
        chat: { id: STAFF, type: "supergroup", title: "Staff" },
        from: { ...agentTg, is_bot: false },
        pinned_message: { ...note.message },
        reply_to_message: {
          message_id: post.sentMessageId,
          date: 0,
          chat: { id: STAFF, type: "supergroup" },
        },
      },
    });
    expect(textsTo(STAFF)).toHaveLength(answersBefore);
  });
});

describe("albums to the staff chat", () => {
  it("bring every file, also when the first part was delivered before the rest arrived", async () => {
    const { send, fake } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const { requesterTg, ticket } = await requesterWithTicket("Album");
    await send(updates.callback(requesterTg, `reply:${ticket.id.replaceAll("-", "")}`));
    await drainAll(worker, w.db);
    const photosBefore = fake.callsOf("sendPhoto").filter((c) => Number(c.params.chat_id) === STAFF).length;
    await send(updates.photo(requesterTg, { mediaGroupId: "alb-staff", caption: "two views" }));
    await drainAll(worker, w.db);
    await send(updates.photo(requesterTg, { mediaGroupId: "alb-staff" }));
    await drainAll(worker, w.db);
    const photos = fake.callsOf("sendPhoto").filter((c) => Number(c.params.chat_id) === STAFF);
    expect(photos.length - photosBefore).toBe(2);
  });

  it("send the text once when one of its files fails and is retried", async () => {
    const { send, fake, textsTo } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const { requesterTg, ticket } = await requesterWithTicket("Photo retry");
    await send(updates.callback(requesterTg, encodeCallback({ a: "reply", t: ticket.id })));
    await drainAll(worker, w.db);
    fake.failNext("sendPhoto", FAILURES.serverError(), { chatId: STAFF });
    const before = fake.calls.length;
    await send(updates.photo(requesterTg, { caption: "cracked screen" }));
    await drainAll(worker, w.db);
    expect(textsTo(STAFF).filter((t) => t.includes("cracked screen"))).toHaveLength(1);
    const photos = fake.calls
      .slice(before)
      .filter((c) => c.method === "sendPhoto" && Number(c.params.chat_id) === STAFF);
    // The failed call, then the retry, which also answers under the same text.
    expect(photos.map((c) => Boolean(c.failure))).toEqual([true, false]);
    expect(photos[0].params.reply_parameters).toEqual(photos[1].params.reply_parameters);
  });

  it("bring each file once when the whole album arrived before anything was delivered", async () => {
    const { send, fake } = botWorld();
    const worker = await deliveryWorker(w.db, fake);
    const { requesterTg, ticket } = await requesterWithTicket("Album at once");
    await send(updates.callback(requesterTg, encodeCallback({ a: "reply", t: ticket.id })));
    await drainAll(worker, w.db);
    const before = fake.calls.length;
    for (let i = 0; i < 3; i++) await send(updates.photo(requesterTg, { mediaGroupId: "alb-once" }));
    await drainAll(worker, w.db);
    const files = fake.calls
      .slice(before)
      .filter((c) => !c.failure && Number(c.params.chat_id) === STAFF)
      .flatMap((c) =>
        c.method === "sendPhoto"
          ? [String(c.params.photo)]
          : c.method === "sendMediaGroup"
            ? (c.params.media as { media: string }[]).map((m) => m.media)
            : [],
      );
    expect(files).toHaveLength(3);
    expect(new Set(files).size).toBe(3);
  });
});
