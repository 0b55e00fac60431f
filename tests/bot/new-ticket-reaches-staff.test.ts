import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { staffThreads, tickets, users } from "../../drizzle/schema/index.js";
import type { RecordedCall } from "../../server/sandbox/bot-api/server.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { type BotWorld, setupBot } from "./bot-harness.js";

const STAFF = -1007100;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 710_000;
const DESCRIPTION = "It shows no picture since this morning.\nThe cable was changed yesterday.";

/** A requester opens a ticket with /new: a description, an album of two photos, a PDF. */
async function openWithWizard(bw: BotWorld, description = DESCRIPTION) {
  const { send, lastButtons } = bw;
  const user = tgUser(nextId++, "en");
  await send(updates.text(user, "/new"));
  await send(updates.callback(user, lastButtons(user.id).find((b) => b.startsWith("cat:")) ?? ""));
  await send(updates.text(user, "Projector in room 12"));
  await send(updates.text(user, description));
  const first = updates.photo(user, { mediaGroupId: `album-${user.id}` });
  const second = updates.photo(user, { mediaGroupId: `album-${user.id}` });
  await send(first);
  await send(second);
  const pdf = updates.document(user, { name: "wiring.pdf" });
  await send(pdf);
  await send(updates.callback(user, "flow:done"));
  await send(updates.callback(user, "pri:high"));
  await send(updates.callback(user, "flow:confirm"));
  const [me] = await w.db.select().from(users).where(eq(users.telegramId, user.id));
  const [ticket] = await w.db.select().from(tickets).where(eq(tickets.requesterId, me.id));
  const fileIdIn = (u: { message: object }, field: "photo" | "document") => {
    const media = (u.message as Record<string, { file_id: string } | { file_id: string }[]>)[field];
    return Array.isArray(media) ? media.at(-1)?.file_id : media.file_id;
  };
  return {
    ticket,
    photoIds: [first, second].map((u) => fileIdIn(u, "photo")),
    pdfId: fileIdIn(pdf, "document"),
  };
}

/** The staff chat's calls after the card, in order. */
const staffPosts = (calls: RecordedCall[], from: number) =>
  calls
    .slice(from)
    .filter((c) => Number(c.params.chat_id) === STAFF && !c.failure && c.method.startsWith("send"));

describe("a ticket opened with /new reaches the staff chat whole", () => {
  it("in a plain group: the card carries the description, then the album as one media group and the document, as replies to the card", async () => {
    const bw = botWorld();
    const worker = await deliveryWorker(w.db, bw.fake);
    const before = bw.fake.calls.length;
    const { ticket, photoIds, pdfId } = await openWithWizard(bw);
    await drainAll(worker, w.db);

    const posts = staffPosts(bw.fake.calls, before);
    expect(posts.map((c) => c.method)).toEqual(["sendMessage", "sendMediaGroup", "sendDocument"]);
    const card = posts[0];
    expect(String(card.params.text)).toContain(ticket.number);
    expect(String(card.params.text)).toContain(
      "It shows no picture since this morning.\nThe cable was changed yesterday.",
    );
    const album = posts[1].params.media as Array<{ type: string; media: string }>;
    expect(album).toEqual([
      { type: "photo", media: photoIds[0] },
      { type: "photo", media: photoIds[1] },
    ]);
    expect(posts[2].params.document).toBe(pdfId);
    const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, ticket.id));
    const cardId = thread.cardMessageId;
    for (const files of posts.slice(1))
      expect((files.params.reply_parameters as { message_id: number }).message_id).toBe(cardId);
  });

  it("in a forum: the topic gets the card with the description and every file", async () => {
    const bw = botWorld();
    const forum = STAFF;
    bw.fake.setChat(forum, { id: forum, type: "supergroup", title: "Support", is_forum: true });
    const worker = await deliveryWorker(w.db, bw.fake);
    const before = bw.fake.calls.length;
    const { ticket } = await openWithWizard(bw);
    await drainAll(worker, w.db);
    bw.fake.setChat(forum, { id: forum, type: "supergroup", title: "Support" });

    const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, ticket.id));
    const posts = staffPosts(bw.fake.calls, before);
    expect(posts.map((c) => c.method)).toEqual(["sendMessage", "sendMediaGroup", "sendDocument"]);
    expect(String(posts[0].params.text)).toContain("The cable was changed yesterday.");
    for (const post of posts) expect(post.params.message_thread_id).toBe(thread.messageThreadId);
  });

  it("a description longer than one Telegram message follows the card in full", async () => {
    const bw = botWorld();
    const worker = await deliveryWorker(w.db, bw.fake);
    const before = bw.fake.calls.length;
    const long = Array.from({ length: 390 }, (_, i) => `line ${i} of the log`)
      .join(" ")
      .slice(0, 3990);
    await openWithWizard(bw, long);
    await drainAll(worker, w.db);
    const texts = staffPosts(bw.fake.calls, before)
      .filter((c) => c.method === "sendMessage")
      .map((c) => String(c.params.text));
    expect(texts.length).toBe(2);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(4096);
    // Every word arrives, in order (Telegram trims the white space at either end of a message).
    const cardPart = texts[0].slice(texts[0].indexOf("line 0 of"));
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(`${cardPart} ${texts[1]}`)).toEqual(words(long));
  });
});
