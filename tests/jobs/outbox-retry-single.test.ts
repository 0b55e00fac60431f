import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../drizzle/schema/index.js";
import type { FileStore } from "../../server/domain/context.js";
import type { RateLimits } from "../../server/domain/delivery/budget.js";
import { addTicketMessage, createTicket, retryNotification } from "../../server/domain/index.js";
import type { AttachmentInput } from "../../server/domain/tickets/schemas.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { FAILURES } from "../../server/sandbox/bot-api/server.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { drainAll, outboxWorker, setupFakeTelegram, telegramDeliverer } from "./outbox-harness.js";

/**
 * A post whose message went out but whose row was never marked sent (the process
 * was killed after Telegram answered and the ledger wrote the answer) is claimed
 * again when its lease ends. Meanwhile more was queued for the chat, so a fresh
 * claim would merge the queue into that row's post; the ledger would then replay
 * the message already sent (the same part) and the merged rows would be marked
 * sent with it, never shown. Found by `npm run chaos` (seed 99: agent replies a
 * requester never got). A row tried once as a post of its own stays one.
 */
const LIMITS: RateLimits = {
  global: { count: 30, windowMs: 50 },
  privateChat: { count: 1, windowMs: 50 },
  groupChat: { count: 20, windowMs: 1500 },
};
const world = setupTestWorld({ staffChatId: null });
const fakeTelegram = setupFakeTelegram();
let w: World;
beforeAll(() => {
  w = world();
});

/**
 * A requester's ticket whose outbox is drained, and what the requester's chat shows
 * from now on; `later` has the agent write the two replies queued behind the retried row.
 */
async function conversation(title: string, files?: FileStore) {
  const requester = await w.user("requester");
  const agent = await w.user("agent");
  const ticket = await createTicket({
    ctx: w.ctx(requester),
    input: { title, categoryId: await w.categoryId() },
  });
  const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fakeTelegram(), undefined, files), {
    limits: LIMITS,
  });
  await drainAll(worker, w.db);
  const chat = Number(requester.telegramId);
  const postsTo = () =>
    fakeTelegram()
      .sends(chat)
      .map((c) => String(c.params.text ?? c.params.caption ?? ""));
  const before = postsTo().length;
  const answer = (body: string, attachments?: AttachmentInput[]) =>
    addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: ticket.id, body, attachments } });
  return {
    chat,
    ticket,
    worker,
    answer,
    later: async () => {
      for (const body of LATER) await answer(body);
      await drainAll(worker, w.db);
    },
    /** Each of the bodies in exactly one post since the start. */
    expectEachOnce(bodies: string[]) {
      const posts = postsTo().slice(before);
      for (const body of bodies)
        expect(
          posts.filter((p) => p.includes(body)),
          body,
        ).toHaveLength(1);
    },
  };
}
const LATER = ["second answer", "third answer"];

describe("a post retried after its process died past Telegram's answer", () => {
  it("is replayed alone: what was queued meanwhile goes out in posts of its own", async () => {
    const c = await conversation("Kill between answer and outcome");
    await c.answer("first answer");
    await drainAll(c.worker, w.db);
    c.expectEachOnce(["first answer"]);
    // What a kill -9 after the ledger's answer leaves: the row "sending" under a lease
    // that has run out, its part recorded as sent in the ledger.
    const [first] = await w.db
      .update(notifications)
      .set({ state: "sending", nextAttemptAt: sql`now() - interval '1 second'`, sentMessageId: null })
      .where(
        and(
          eq(notifications.chatId, c.chat),
          eq(notifications.type, "new_message"),
          sql`exists (select 1 from messages m
            where m.id::text = ${notifications.payload} #>> '{change,messageId}' and m.body = 'first answer')`,
        ),
      )
      .returning();
    expect(first).toBeDefined();
    await c.later();
    c.expectEachOnce(["first answer", ...LATER]);
  });

  it("stays a post of its own after Telegram refused its file with 429 once its text was out", async () => {
    // A 429 lowers the row's attempts again (it is not the row's fault), so whether it
    // was tried cannot be read from them: found by review.
    const files = createLocalFileStore(mkdtempSync(join(tmpdir(), "retry-single-")));
    const c = await conversation("A 429 on the file", files);
    const bytes = new TextEncoder().encode("%PDF-1.7 the invoice");
    const storagePath = await files.put(`${c.ticket.id}/invoice`, bytes);
    fakeTelegram().failNext("sendDocument", FAILURES.tooMany(1), { chatId: c.chat });
    await c.answer("first answer, with the invoice", [
      {
        kind: "document",
        fileName: "invoice.pdf",
        mimeType: "application/pdf",
        sizeBytes: bytes.length,
        storagePath,
      },
    ]);
    await c.worker.drainOnce(); // the text goes, the file is refused: the row waits for retry_after
    await c.later();
    c.expectEachOnce(["first answer", ...LATER]);
    const documents = fakeTelegram().calls.filter(
      (call) => call.method === "sendDocument" && Number(call.params.chat_id) === c.chat && !call.failure,
    );
    expect(documents).toHaveLength(1);
  });
});

describe("a merged post that fails for good after its text went out", () => {
  it("fails with the rows it carried, and an admin's retry of one of them sends only the rest", async () => {
    // The retried post is put at the end of the chat's line; a message queued before it
    // goes first, and its post never carries the retried one (found by review).
    const files = createLocalFileStore(mkdtempSync(join(tmpdir(), "merged-fail-")));
    const c = await conversation("A refused file in a merged post", files);
    const bytes = new TextEncoder().encode("%PDF-1.7 the timetable");
    const storagePath = await files.put(`${c.ticket.id}/timetable`, bytes);
    const document = { kind: "document" as const, fileName: "timetable.pdf", mimeType: "application/pdf" };
    const bodies = ["merged one", "merged two, with the timetable", "merged three"];
    await c.answer(bodies[0]);
    await c.answer(bodies[1], [{ ...document, sizeBytes: bytes.length, storagePath }]);
    await c.answer(bodies[2]);
    // The three go as one post (the chat may take one now); Telegram takes its text and refuses its file.
    fakeTelegram().failNext("sendDocument", FAILURES.badRequest("wrong file identifier"), { chatId: c.chat });
    await c.worker.drainOnce();
    await drainAll(c.worker, w.db);
    c.expectEachOnce(bodies);
    const rows = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.chatId, c.chat), eq(notifications.ticketId, c.ticket.id)));
    const ofPost = rows.filter((r) => r.type === "new_message" && r.createdAt > c.ticket.createdAt);
    expect(ofPost.map((r) => r.state)).toEqual(["failed", "failed", "failed"]);
    const carriedOne = ofPost.find((r) => r.carriedBy !== null);
    expect(carriedOne?.lastError).toContain("wrong file identifier");

    // Queued before the retry, so older than the post put back: its own post must not carry the post's rows.
    await c.answer("asked meanwhile");
    const admin = await w.user("admin");
    await retryNotification({ ctx: w.ctx(admin), input: { notificationId: carriedOne?.id } });
    await drainAll(c.worker, w.db);
    c.expectEachOnce([...bodies, "asked meanwhile"]);
    const sentDocuments = fakeTelegram().calls.filter(
      (call) => call.method === "sendDocument" && Number(call.params.chat_id) === c.chat && !call.failure,
    );
    expect(sentDocuments).toHaveLength(1);
    const after = await w.db
      .select({ state: notifications.state })
      .from(notifications)
      .where(
        inArray(
          notifications.id,
          ofPost.map((r) => r.id),
        ),
      );
    expect(after.map((r) => r.state)).toEqual(["sent", "sent", "sent"]);
  });
});
