import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, notifications } from "../../drizzle/schema/index.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll, setupFakeTelegram } from "./outbox-harness.js";

const STAFF_CHAT = -1002300;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
const fakeTelegram = setupFakeTelegram();
let w: World;
beforeAll(() => {
  w = world();
});

const storedId = async (ticketId: string) =>
  (await w.db.select().from(attachments).where(eq(attachments.ticketId, ticketId)))[0]?.tgFileId;

/** A file store, a worker delivering from it, and a new ticket whose own posts went out. */
async function ticketWithStore(title: string) {
  const fake = fakeTelegram();
  const store = createLocalFileStore(mkdtempSync(join(tmpdir(), "outbox-files-")));
  const worker = await deliveryWorker(w.db, fake, { files: store });
  const requester = await w.user("requester", { language: "en" });
  const agent = await w.user("agent", { language: "en" });
  const ticket = await createTicket({
    ctx: w.ctx(requester),
    input: { title, categoryId: await w.categoryId() },
  });
  await drainAll(worker, w.db);
  return { fake, store, worker, requester, agent, ticket };
}

describe("a file uploaded in the Mini App", () => {
  it("reaches the requester and the staff chat: uploaded to Telegram once, then sent by its file_id", async () => {
    // The new-ticket post goes first; then the message's two rows (requester, staff chat) go out together.
    const { fake, store, worker, requester, agent, ticket } = await ticketWithStore("Where is the manual?");
    const bytes = new TextEncoder().encode("%PDF-1.7 the projector manual");
    const key = await store.put(`${ticket.id}/manual`, bytes);
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: {
        ticketId: ticket.id,
        body: "Here it is",
        attachments: [
          {
            kind: "document",
            fileName: "manual.pdf",
            mimeType: "application/pdf",
            sizeBytes: bytes.length,
            storagePath: key,
          },
        ],
      },
    });
    await drainAll(worker, w.db);

    const docs = fake.callsOf("sendDocument");
    const toRequester = docs.find((c) => Number(c.params.chat_id) === requester.telegramId);
    const toStaff = docs.find((c) => Number(c.params.chat_id) === STAFF_CHAT);
    expect(toRequester).toBeDefined();
    expect(toStaff).toBeDefined();
    // One upload with the stored bytes and the file's name; the other send reuses Telegram's id.
    const uploads = docs.filter((c) => c.files.length > 0);
    expect(uploads).toHaveLength(1);
    expect(uploads[0].files[0]).toMatchObject({ field: "document", fileName: "manual.pdf" });
    expect(uploads[0].files[0].bytes.toString()).toBe("%PDF-1.7 the projector manual");
    const [row] = await w.db.select().from(attachments).where(eq(attachments.ticketId, ticket.id));
    expect(row.tgFileId).toMatch(/^BQAC/);
    const byId = docs.find((c) => c.files.length === 0);
    expect(byId?.params.document).toBe(row.tgFileId);
  });

  it("sends a picture Telegram refuses as a photo as a document, and fails the row visibly when a file's bytes are gone", async () => {
    const { fake, store, worker, requester, agent, ticket } = await ticketWithStore("Long screenshot");
    const key = await store.put(`${ticket.id}/shot`, new Uint8Array([137, 80, 78, 71]));
    const shot = { kind: "photo" as const, fileName: "shot.png", mimeType: "image/png", sizeBytes: 4 };
    fake.failNext("sendPhoto", FAILURES.badRequest("PHOTO_INVALID_DIMENSIONS"), {
      chatId: requester.telegramId,
    });
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: {
        ticketId: ticket.id,
        body: "See the whole page",
        attachments: [{ ...shot, storagePath: key }],
      },
    });
    await drainAll(worker, w.db);
    const asDocument = fake
      .callsOf("sendDocument")
      .find((c) => Number(c.params.chat_id) === requester.telegramId);
    // Uploaded in this send, or sent by the file_id the staff chat's upload got (rows go in parallel).
    expect(asDocument).toBeDefined();
    if (asDocument?.files.length) expect(asDocument.files[0].fileName).toBe("shot.png");
    else expect(asDocument?.params.document).toBe(await storedId(ticket.id));

    const { message } = await addTicketMessage({
      ctx: w.ctx(agent),
      input: {
        ticketId: ticket.id,
        body: "And this one",
        attachments: [{ ...shot, storagePath: `${ticket.id}/gone` }],
      },
    });
    await drainAll(worker, w.db);
    const rows = await w.db.select().from(notifications).where(eq(notifications.messageId, message.id));
    const toRequester = rows.find((r) => r.recipientId === requester.id);
    expect(toRequester?.state).toBe("failed");
    expect(toRequester?.lastError).toContain("shot.png");
    // The text itself went out before the file was found missing.
    expect(fake.sends(requester.telegramId).some((c) => String(c.params.text).includes("And this one"))).toBe(
      true,
    );
  });
});
