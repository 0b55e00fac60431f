import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, notifications, staffThreads, tickets, users } from "../../drizzle/schema/index.js";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { FAILURES, topicIconId } from "../../server/sandbox/bot-api/server.js";
import { inTopic, tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { setupBot } from "./bot-harness.js";

const FORUM = -1006000;
const world = setupTestWorld({ staffChatId: FORUM });
const botWorld = setupBot(world, FORUM);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 650_000;
async function people() {
  const { send } = botWorld();
  const requesterTg = tgUser(nextId++, "en");
  const agentTg = tgUser(nextId++, "en");
  await send(updates.text(requesterTg, "/help"));
  await send(updates.text(agentTg, "/help"));
  await w.db.update(users).set({ role: "agent" }).where(eq(users.telegramId, agentTg.id));
  const [requester] = await w.db.select().from(users).where(eq(users.telegramId, requesterTg.id));
  const [agent] = await w.db.select().from(users).where(eq(users.telegramId, agentTg.id));
  return { requesterTg, agentTg, requester, agent };
}

describe("a forum supergroup as the staff chat", () => {
  it("gives each ticket a topic that follows its status, and relays both ways inside it", async () => {
    const { send, fake, textsTo } = botWorld();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    const worker = await deliveryWorker(w.db, fake);
    const { requesterTg, agentTg, requester, agent } = await people();
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Badge reader", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);

    const topic = fake.callsOf("createForumTopic").at(-1);
    expect(String(topic?.params.name)).toBe(`🟢 ${ticket.number} · Badge reader`);
    // Its icon follows the status too, from the emoji Telegram offers for topics.
    expect(topic?.params.icon_custom_emoji_id).toBe(topicIconId("🔥"));
    const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, ticket.id));
    expect(thread.messageThreadId).toBeGreaterThan(0);
    const threadId = thread.messageThreadId as number;
    expect(fake.sends(FORUM).at(-1)?.params.message_thread_id).toBe(threadId);

    // Staff just write in the topic; notes stay inside.
    await send(updates.topicText(agentTg, FORUM, threadId, "Replacing it now"));
    await send(updates.topicText(agentTg, FORUM, threadId, "! spare in the cupboard"));
    await drainAll(worker, w.db);
    const toRequester = textsTo(requesterTg.id).join("\n");
    expect(toRequester).toContain("Replacing it now");
    expect(toRequester).not.toContain("spare in the cupboard");

    // The requester's answer lands in the topic.
    await send(updates.text(requesterTg, `/track ${ticket.number}`));
    await send(updates.callback(requesterTg, `reply:${ticket.id.replaceAll("-", "")}`));
    await send(updates.text(requesterTg, "Thanks, it works"));
    await drainAll(worker, w.db);
    const inTopic = fake
      .sends(FORUM)
      .filter((c) => c.params.message_thread_id === threadId)
      .map((c) => String(c.params.text));
    expect(inTopic.some((t) => t.includes("Thanks, it works"))).toBe(true);

    // Media both ways: a voice note from staff reaches the requester as a voice message,
    // a video from the requester lands in the topic as a video.
    await send(updates.media(agentTg, "voice", { chatId: FORUM, threadId, caption: "Listen to this" }));
    await send(updates.media(requesterTg, "video", { caption: "Here is what it does" }));
    await drainAll(worker, w.db);
    const voice = fake.callsOf("sendVoice").find((c) => Number(c.params.chat_id) === requesterTg.id);
    expect(String(voice?.params.voice)).toMatch(/^AwAC/);
    const video = fake.callsOf("sendVideo").find((c) => Number(c.params.chat_id) === FORUM);
    expect(String(video?.params.video)).toMatch(/^BAAC/);
    expect(video?.params.message_thread_id).toBe(threadId);

    // /assign @name hands it over (moderators); an unknown name gets the usage; /assign alone takes it.
    const moderatorTg = tgUser(nextId++, "en");
    await send(updates.text(moderatorTg, "/help"));
    await w.db.update(users).set({ role: "moderator" }).where(eq(users.telegramId, moderatorTg.id));
    await send(updates.topicText(moderatorTg, FORUM, threadId, "/assign @nobody_here"));
    expect(textsTo(FORUM).at(-1)).toContain("can't assign this ticket to @nobody_here");
    await send(updates.topicText(moderatorTg, FORUM, threadId, `/assign @${requesterTg.username}`));
    expect(textsTo(FORUM).at(-1)).toContain(`can't assign this ticket to @${requesterTg.username}`);
    await send(updates.topicText(moderatorTg, FORUM, threadId, `/assign @${agentTg.username}`));
    expect(textsTo(FORUM).at(-1)).toContain(`is now with ${agentTg.first_name}`);
    let [row] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row.assigneeId).toBe(agent.id);
    await send(updates.topicText(moderatorTg, FORUM, threadId, "/assign"));
    [row] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    const [moderator] = await w.db.select().from(users).where(eq(users.telegramId, moderatorTg.id));
    expect(row.assigneeId).toBe(moderator.id);

    // /status and /close in the topic rename and close it; a reply reopens it.
    await send(updates.topicText(agentTg, FORUM, threadId, "/status resolved"));
    await drainAll(worker, w.db);
    const lastIcon = () => fake.callsOf("editForumTopic").at(-1)?.params.icon_custom_emoji_id;
    expect(lastIcon()).toBe(topicIconId("✅"));
    await send(updates.topicText(agentTg, FORUM, threadId, "/close"));
    await drainAll(worker, w.db);
    expect(lastIcon()).toBe(topicIconId("✔"));
    expect(fake.callsOf("editForumTopic").map((c) => String(c.params.name))).toContain(
      `⚫ ${ticket.number} · Badge reader`,
    );
    expect(fake.callsOf("closeForumTopic").at(-1)?.params.message_thread_id).toBe(threadId);
    await changeTicketStatus({ ctx: w.ctx(requester), input: { ticketId: ticket.id, status: "open" } });
    await drainAll(worker, w.db);
    expect(fake.callsOf("reopenForumTopic").at(-1)?.params.message_thread_id).toBe(threadId);

    const notes = await w.db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticket.id), eq(messages.isInternal, true)));
    expect(notes.map((m) => m.body)).toEqual(["spare in the cupboard"]);
  });

  it("carries photos, albums and documents both ways, with one answer to staff per album", async () => {
    const { send, fake, textsTo } = botWorld();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    const worker = await deliveryWorker(w.db, fake);
    const { requesterTg, agentTg, requester } = await people();
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Broken screen", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, ticket.id));
    const threadId = thread.messageThreadId as number;
    const answersBefore = textsTo(FORUM).filter((t) => t.includes("Sent to the requester")).length;

    // Staff: an album of two photos, then a PDF, inside the topic.
    const first = inTopic(
      updates.photo(agentTg, { mediaGroupId: "alb-staff", caption: "Front and back" }),
      FORUM,
      threadId,
    );
    const second = inTopic(updates.photo(agentTg, { mediaGroupId: "alb-staff" }), FORUM, threadId);
    await send(first);
    await send(second);
    await send(inTopic(updates.document(agentTg, { name: "invoice.pdf" }), FORUM, threadId));
    await drainAll(worker, w.db);
    const answers = textsTo(FORUM).filter((t) => t.includes("Sent to the requester")).length - answersBefore;
    expect(answers).toBe(2); // the album once, the document once

    const toRequester = fake.calls.filter((c) => Number(c.params.chat_id) === requesterTg.id);
    const photoIds = toRequester.flatMap((c) =>
      c.method === "sendPhoto"
        ? [String(c.params.photo)]
        : c.method === "sendMediaGroup"
          ? (c.params.media as { media: string }[]).map((m) => String(m.media))
          : [],
    );
    const idOf = (u: { message: Record<string, unknown> }) =>
      (u.message.photo as { file_id: string }[])[1].file_id;
    expect(photoIds).toEqual(expect.arrayContaining([idOf(first), idOf(second)]));
    // The uncaptioned PDF: a header and the file count, no empty lines where a caption would be.
    expect(textsTo(requesterTg.id).at(-1)).toMatch(/“Broken screen”:\n\n📎 Attachments: 1$/);
    const doc = toRequester.find((c) => c.method === "sendDocument");
    expect(String(doc?.params.document)).toMatch(/^BQACDoc/);

    // What staff wrote in the topic is not copied back into it.
    const inThreadNow = () =>
      fake.calls.filter((c) => Number(c.params.chat_id) === FORUM && c.params.message_thread_id === threadId);
    expect(inThreadNow().filter((c) => c.method !== "sendMessage")).toHaveLength(0);
    expect(inThreadNow().filter((c) => String(c.params.text).startsWith("💬"))).toHaveLength(0);

    // Requester: a document and a voice note land in the topic.
    await send(updates.callback(requesterTg, `reply:${ticket.id.replaceAll("-", "")}`));
    await send(updates.document(requesterTg, { name: "photo-of-error.pdf" }));
    await send(updates.media(requesterTg, "voice"));
    await drainAll(worker, w.db);
    const inThread = inThreadNow();
    expect(inThread.some((c) => c.method === "sendDocument")).toBe(true);
    expect(inThread.some((c) => c.method === "sendVoice")).toBe(true);
    const stored = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(stored).toHaveLength(4); // album (one message), document, document, voice
  });

  it("keeps topics without a custom icon when Telegram offers none (the name still shows the status)", async () => {
    const { fake } = botWorld();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    fake.failNext("getForumTopicIconStickers", FAILURES.badRequest("method not supported"));
    const worker = await deliveryWorker(w.db, fake);
    const { requester } = await people();
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "No icons here", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    const topic = fake.callsOf("createForumTopic").at(-1)?.params;
    expect(topic?.name).toBe(`🟢 ${ticket.number} · No icons here`);
    expect(topic).not.toHaveProperty("icon_custom_emoji_id");
  });

  it("opens the topic without its icon when Telegram refuses the icon, and the post still arrives", async () => {
    const { fake } = botWorld();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    const worker = await deliveryWorker(w.db, fake);
    const { requester } = await people();
    fake.failNext("createForumTopic", FAILURES.badRequest("ICON_INVALID"));
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Icon refused", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    // callsOf lists answered calls; the refused one is among all calls.
    const [refused, plain] = fake.calls.filter((c) => c.method === "createForumTopic").slice(-2);
    expect(refused.params.icon_custom_emoji_id).toBe(topicIconId("🔥"));
    expect(refused.failure).toBeDefined();
    expect(plain.params).not.toHaveProperty("icon_custom_emoji_id");
    const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, ticket.id));
    expect(fake.sends(FORUM).at(-1)?.params.message_thread_id).toBe(thread.messageThreadId);
  });

  it("opens a new topic when someone deleted the ticket's topic", async () => {
    const { fake } = botWorld();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    const worker = await deliveryWorker(w.db, fake);
    const { requester, agent } = await people();
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Deleted topic", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    const before = fake.callsOf("createForumTopic").length;
    fake.failNext("sendMessage", FAILURES.badRequest("message thread not found"), { chatId: FORUM });
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "in_progress" } });
    await drainAll(worker, w.db);
    expect(fake.callsOf("createForumTopic").length).toBe(before + 1);
    const rows = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.chatId, FORUM)));
    expect(rows.every((r) => r.state === "sent")).toBe(true);
  });
});

describe("a plain group as the staff chat", () => {
  it("keeps one card per ticket, edited as the ticket changes, with updates as replies to it", async () => {
    const { fake } = botWorld();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support" });
    const plain = -1006001;
    fake.setChat(plain, { id: plain, type: "group", title: "Plain staff" });
    const { requester, agent } = await people();
    const { branches } = await import("../../drizzle/schema/index.js");
    const branch = await w.branch();
    await w.db.update(branches).set({ staffChatId: plain }).where(eq(branches.id, branch.id));
    await w.db.update(users).set({ branchId: branch.id }).where(eq(users.id, requester.id));
    const worker = await deliveryWorker(w.db, fake);
    const ticket = await createTicket({
      ctx: w.ctx({ ...requester, branchId: branch.id }),
      input: { title: "Card ticket", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, ticket.id));
    expect(thread.cardMessageId).toBeGreaterThan(0);
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "in_progress" } });
    await drainAll(worker, w.db);
    const edit = fake.callsOf("editMessageText").find((c) => Number(c.params.chat_id) === plain);
    expect(edit?.params.message_id).toBe(thread.cardMessageId);
    // Staff chats speak DEFAULT_LANGUAGE (fa here): "in progress".
    expect(String(edit?.params.text)).toContain("در حال بررسی");
    const update = fake.sends(plain).at(-1);
    const replyTo = update?.params.reply_parameters as { message_id: number } | undefined;
    expect(replyTo?.message_id).toBe(thread.cardMessageId);
    const [t] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(t.status).toBe("in_progress");
  });
});
