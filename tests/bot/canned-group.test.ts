import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, notifications } from "../../drizzle/schema/index.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { openTicketAs, setupBot } from "./bot-harness.js";
import { agentWithReplies, expectSent, lastList, press, storedBy } from "./canned-steps.js";

/** /canned in a plain staff group, in reply to a ticket's card: list, page, press, sent. */
const STAFF = -1004100;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

describe("/canned in reply to a ticket's card", () => {
  it("lists the agent's replies in pages of 8, sends the pressed one with its file, and says so", async () => {
    const bw = botWorld();
    const worker = await deliveryWorker(w.db, bw.fake);
    const { requesterTg, ticket } = await openTicketAs(bw, w, tgUser(660_001, "en", "Sara"), "Scanner");
    const { agentTg, agent } = await agentWithReplies(bw, w, 660_002, 10);
    await drainAll(worker, w.db);
    const [card] = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.chatId, STAFF)));
    const cardId = card.sentMessageId ?? 0;

    const command = updates.groupText(agentTg, STAFF, "/canned", cardId);
    await bw.send(command);
    const list = lastList(bw, STAFF);
    expect(String(list.call?.params.text)).toContain(ticket.number);
    expect(list.call?.params.reply_parameters).toMatchObject({ message_id: command.message.message_id });
    expect(list.titles).toEqual([...Array.from({ length: 8 }, (_, i) => `Reply 0${i + 1}`), "›"]);
    // "/canned" itself never reached the thread.
    expect(await storedBy(w, ticket.id, agent.id)).toEqual([]);

    // Next page: the last two and a way back.
    const ref = { text: "/canned", messageId: command.message.message_id };
    const next = list.actions.at(-1);
    expect(next?.a).toBe("cnp");
    await bw.send(
      press(agentTg, STAFF, list, list.markup.inline_keyboard.at(-1)?.[0].callback_data ?? "", ref),
    );
    const paged = bw.fake.callsOf("editMessageReplyMarkup").at(-1)?.params.reply_markup as {
      inline_keyboard: { text: string }[][];
    };
    expect(paged.inline_keyboard.flat().map((b) => b.text)).toEqual(["Reply 09", "Reply 10", "‹"]);

    // A search word narrows the list; pressing a reply sends it.
    const search = updates.groupText(agentTg, STAFF, "/canned 01", cardId);
    await bw.send(search);
    const found = lastList(bw, STAFF);
    expect(found.titles).toEqual(["Reply 01"]);
    await bw.send(
      press(agentTg, STAFF, found, found.markup.inline_keyboard[0][0].callback_data ?? "", {
        text: "/canned 01",
        messageId: search.message.message_id,
      }),
    );
    const stored = await storedBy(w, ticket.id, agent.id);
    expect(stored).toHaveLength(1);
    expectSent(stored[0].body, ticket.number);
    expect(stored[0].source).toBe("staff_chat");
    const files = await w.db.select().from(attachments).where(eq(attachments.messageId, stored[0].id));
    expect(files.map((f) => f.tgFileId)).toEqual(["AgACcanned"]);
    const edited = bw.fake.callsOf("editMessageText").at(-1);
    expect(edited?.params.message_id).toBe(found.messageId);
    expect(String(edited?.params.text)).toBe(
      `✅ Ali sent “Reply 01” on ${ticket.number}.\n\n${stored[0].body}`,
    );
    expect(String(bw.fake.callsOf("answerCallbackQuery").at(-1)?.params.text)).toBe("Sent.");
    // The "sent" line stands for the reply: answering it in the group answers on the ticket.
    await bw.send(updates.groupText(agentTg, STAFF, "One more thing", found.messageId));
    expect((await storedBy(w, ticket.id, agent.id)).map((m) => m.body)).toContain("One more thing");

    // The requester gets the text and the photo by its Telegram file id.
    await drainAll(worker, w.db);
    const toRequester = bw.fake.calls.filter(
      (c) => Number(c.params.chat_id) === requesterTg.id && !c.failure,
    );
    const photo = toRequester.find((c) => c.method === "sendPhoto" || c.method === "sendMediaGroup");
    expect(JSON.stringify(photo?.params)).toContain("AgACcanned");
    expect(JSON.stringify(toRequester.map((c) => c.params))).toContain("answer 1 on");
  });

  it("says how to use it outside a ticket", async () => {
    const bw = botWorld();
    const outsider = tgUser(660_010, "en");
    await bw.send(updates.text(outsider, "/help"));
    await bw.send(updates.groupText(outsider, STAFF, "/canned"));
    expect(bw.textsTo(STAFF).at(-1)).toContain("Reply to a ticket's message");
  });
});
