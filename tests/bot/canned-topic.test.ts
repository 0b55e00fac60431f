import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { staffThreads, users } from "../../drizzle/schema/index.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { openTicketAs, setupBot } from "./bot-harness.js";
import { agentWithReplies, expectSent, lastList, press, storedBy } from "./canned-steps.js";

/** /canned inside a ticket's forum topic: the list in the topic, a press sends it as the presser. */
const FORUM = -1006100;
const world = setupTestWorld({ staffChatId: FORUM });
const botWorld = setupBot(world, FORUM);
let w: World;
beforeAll(() => {
  w = world();
});

describe("/canned in a ticket's forum topic", () => {
  it("answers in the topic and sends the pressed reply; a requester's press is refused", async () => {
    const bw = botWorld();
    bw.fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    const worker = await deliveryWorker(w.db, bw.fake);
    const { requesterTg, ticket } = await openTicketAs(bw, w, tgUser(670_001, "en", "Sara"), "Badge reader");
    const { agentTg, agent } = await agentWithReplies(bw, w, 670_002, 2);
    await drainAll(worker, w.db);
    const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, ticket.id));
    const threadId = thread.messageThreadId as number;

    const command = updates.topicText(agentTg, FORUM, threadId, "/canned");
    await bw.send(command);
    const list = lastList(bw, FORUM);
    expect(list.call?.params.message_thread_id).toBe(threadId);
    expect(list.titles).toEqual(["Reply 01", "Reply 02"]);
    const ref = { text: "/canned", messageId: command.message.message_id };
    const first = list.markup.inline_keyboard[0][0].callback_data ?? "";

    // The requester (no staff role) pressing a forwarded button is refused and nothing is written.
    await bw.send(press(requesterTg, FORUM, list, first, ref));
    expect(String(bw.fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toMatch(/not allowed/i);
    const [requester] = await w.db.select().from(users).where(eq(users.telegramId, requesterTg.id));
    expect(await storedBy(w, ticket.id, requester.id)).toEqual([]);

    await bw.send(press(agentTg, FORUM, list, first, ref));
    const stored = await storedBy(w, ticket.id, agent.id);
    expect(stored).toHaveLength(1);
    expectSent(stored[0].body, ticket.number);
    expect(String(bw.fake.callsOf("editMessageText").at(-1)?.params.text)).toContain("sent “Reply 01”");
    // The list is spent: another press on it (the other reply, a double tap) sends nothing more.
    await bw.send(press(agentTg, FORUM, list, list.markup.inline_keyboard[1][0].callback_data ?? "", ref));
    await bw.send(press(agentTg, FORUM, list, first, ref));
    expect(await storedBy(w, ticket.id, agent.id)).toHaveLength(1);

    await drainAll(worker, w.db);
    const toRequester = bw.fake.calls.filter(
      (c) => Number(c.params.chat_id) === requesterTg.id && !c.failure,
    );
    expect(JSON.stringify(toRequester.map((c) => c.params))).toContain(`answer 1 on ${ticket.number}`);
  });
});
