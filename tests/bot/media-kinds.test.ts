import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, messages } from "../../drizzle/schema/index.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll } from "../jobs/outbox-harness.js";
import { openTicketAs, setupBot } from "./bot-harness.js";

/** Every kind of message a requester can send: kept and relayed to staff, or refused with a clear answer. */
const STAFF = -1007200;
const world = setupTestWorld({ staffChatId: STAFF });
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});

let nextId = 720_000;
/** A requester with one open ticket who tapped Reply on it, so the next message goes there. */
async function replying(title: string) {
  const bw = botWorld();
  const opened = await openTicketAs(bw, w, tgUser(nextId++, "en"), title);
  await bw.send(updates.callback(opened.requesterTg, `reply:${opened.ticket.id}`));
  return { ...bw, ...opened };
}

const KEPT = [
  ["audio", "sendAudio", "audio"],
  ["video_note", "sendVideoNote", "video_note"],
  ["animation", "sendAnimation", "animation"],
  ["contact", "sendContact", "contact"],
  ["venue", "sendVenue", "location"],
] as const;

describe("what a requester sends in a ticket", () => {
  it.each(KEPT)(
    "a %s is stored on the ticket and relayed to staff as itself (%s)",
    async (kind, method, stored) => {
      const { send, fake, ticket, requesterTg } = await replying(`Sends a ${kind}`);
      const worker = await deliveryWorker(w.db, fake);
      await drainAll(worker, w.db);
      const update = updates.kind(requesterTg, kind);
      await send(update);
      const [message] = await w.db
        .select()
        .from(messages)
        .where(eq(messages.tgMessageId, update.message.message_id));
      expect(message.ticketId).toBe(ticket.id);
      const [file] = await w.db.select().from(attachments).where(eq(attachments.messageId, message.id));
      expect(file.kind).toBe(stored);
      await drainAll(worker, w.db);
      const relayed = fake.callsOf(method).filter((c) => Number(c.params.chat_id) === STAFF);
      expect(relayed).toHaveLength(1);
      if (kind === "contact")
        expect(relayed[0].params).toMatchObject({ phone_number: "+989121234567", first_name: "Sara" });
      if (kind === "venue")
        expect(relayed[0].params).toMatchObject({ title: "Branch 3", address: "Azadi St. 12" });
      if (kind === "audio") expect(relayed[0].params.audio).toBe(file.tgFileId);
    },
  );

  it("a dice is refused with an answer naming what is accepted, and nothing is stored", async () => {
    const { send, textsTo, requesterTg, ticket } = await replying("Rolls a dice");
    await send(updates.kind(requesterTg, "dice"));
    expect(textsTo(requesterTg.id).at(-1)).toBe(
      "I can't add a dice to a ticket. I accept text, photos, files, videos, voice and audio messages, video notes, GIFs, stickers, locations and contacts.",
    );
    expect(await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id))).toHaveLength(0);
  });

  it("a program file is refused by the domain's file check, named in the answer, and nothing is half-stored", async () => {
    const { send, textsTo, requesterTg, ticket } = await replying("Sends an installer");
    await send(updates.kind(requesterTg, "executable"));
    expect(textsTo(requesterTg.id).at(-1)).toContain(
      "setup.exe can't be added: files of type application/x-msdownload",
    );
    expect(await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id))).toHaveLength(0);
    expect(await w.db.select().from(attachments).where(eq(attachments.ticketId, ticket.id))).toHaveLength(0);
  });

  it("an album reaches staff as one media group under the message, not file by file", async () => {
    const { send, fake, requesterTg } = await replying("Sends an album");
    const worker = await deliveryWorker(w.db, fake);
    await drainAll(worker, w.db);
    const before = fake.calls.length;
    const group = `album-${requesterTg.id}`;
    const parts = [
      updates.photo(requesterTg, { mediaGroupId: group, caption: "Both sides of the screen" }),
      updates.photo(requesterTg, { mediaGroupId: group }),
      updates.photo(requesterTg, { mediaGroupId: group }),
    ];
    // The parts arrive a moment apart; the worker runs meanwhile, as in production.
    await send(parts[0]);
    await worker.drainOnce();
    await send(parts[1]);
    await send(parts[2]);
    await drainAll(worker, w.db);
    const toStaff = fake.calls
      .slice(before)
      .filter((c) => Number(c.params.chat_id) === STAFF && !c.failure && c.method.startsWith("send"));
    expect(toStaff.map((c) => c.method)).toEqual(["sendMessage", "sendMediaGroup"]);
    expect(String(toStaff[0].params.text)).toContain("Both sides of the screen");
    expect(toStaff[1].params.media).toHaveLength(3);
  });

  it("a part of an album that arrives after the album went out follows under the same message", async () => {
    const { send, fake, requesterTg } = await replying("Sends a late album part");
    const worker = await deliveryWorker(w.db, fake);
    await drainAll(worker, w.db);
    const before = fake.calls.length;
    const group = `late-${requesterTg.id}`;
    await send(updates.photo(requesterTg, { mediaGroupId: group, caption: "First the front" }));
    await send(updates.photo(requesterTg, { mediaGroupId: group }));
    // The album's hold runs out and its rows go out before the last part arrives.
    await new Promise((r) => setTimeout(r, 1700));
    await drainAll(worker, w.db);
    await send(updates.photo(requesterTg, { mediaGroupId: group }));
    await drainAll(worker, w.db);
    const toStaff = fake.calls
      .slice(before)
      .filter((c) => Number(c.params.chat_id) === STAFF && !c.failure && c.method.startsWith("send"));
    expect(toStaff.map((c) => c.method)).toEqual(["sendMessage", "sendMediaGroup", "sendPhoto"]);
    const post = toStaff[0].result as { message_id: number };
    expect((toStaff[2].params.reply_parameters as { message_id: number }).message_id).toBe(post.message_id);
  });
});
