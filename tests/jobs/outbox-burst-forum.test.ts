import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, staffThreads } from "../../drizzle/schema/index.js";
import type { RateLimits } from "../../server/domain/delivery/budget.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import { maxInWindow } from "../../server/sandbox/bot-api/server.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { drainAll, outboxWorker, setupFakeTelegram, telegramDeliverer } from "./outbox-harness.js";

/**
 * A burst into a forum staff chat, Telegram's limits scaled down in time (a
 * group's 20 a minute becomes 20 per 1.5 s): each topic's post carries its own
 * ticket's messages only, the longest-waiting ticket goes first, and the topics
 * share the group's one window.
 */
const LIMITS: RateLimits = {
  global: { count: 30, windowMs: 50 },
  privateChat: { count: 1, windowMs: 50 },
  groupChat: { count: 20, windowMs: 1500 },
};
const FORUM = -1004100;
const world = setupTestWorld({ staffChatId: FORUM });
const fakeTelegram = setupFakeTelegram();
let w: World;
beforeAll(() => {
  w = world();
});

describe("a burst into a forum staff chat", () => {
  it("posts each ticket's messages in its own topic, longest waiting first, within the group's window", async () => {
    const fake = fakeTelegram();
    fake.setChat(FORUM, { id: FORUM, type: "supergroup", title: "Support", is_forum: true });
    const requester = await w.user("requester");
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const ticket = await createTicket({
        ctx: w.ctx(requester),
        input: { title: `Topic ${i}`, categoryId: await w.categoryId() },
      });
      ids.push(ticket.id);
    }
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fake), { limits: LIMITS });
    await drainAll(worker, w.db, 30_000); // four topics and their cards
    const threads = new Map<number, number>();
    for (const [i, id] of ids.entries()) {
      const [thread] = await w.db.select().from(staffThreads).where(eq(staffThreads.ticketId, id));
      threads.set(thread.messageThreadId as number, i);
    }
    fake.clear();
    await w.db.delete(notifications);
    // Ticket 3 waits longest (its messages come first), then 0, 1, 2 in turn: more than
    // the group may receive now, fewer than its digest threshold (30 rows here).
    const order = [3, 3, 3, ...Array.from({ length: 24 }, (_, i) => i % 3)];
    for (const [n, t] of order.entries())
      await addTicketMessage({
        ctx: w.ctx(requester),
        input: { ticketId: ids[t], body: `msg ${n} for ${t}` },
      });
    await drainAll(worker, w.db, 60_000);

    const posts = fake.sends(FORUM).map((c) => ({
      thread: Number(c.params.message_thread_id),
      text: String(c.params.text ?? ""),
      at: c.at,
    }));
    for (const [n, t] of order.entries()) {
      const holding = posts.filter((p) => p.text.includes(`msg ${n} for ${t}`));
      expect(holding, `msg ${n}`).toHaveLength(1);
      // In its own ticket's topic, never another's.
      expect(threads.get(holding[0].thread), `msg ${n}`).toBe(t);
    }
    // Some of them went out merged: fewer posts than messages.
    expect(posts.length).toBeLessThan(order.length);
    // Longest waiting first: ticket 3's messages are in the first post.
    expect(threads.get(posts[0].thread)).toBe(3);
    expect(
      maxInWindow(
        posts.map((p) => p.at),
        LIMITS.groupChat.windowMs,
      ),
    ).toBeLessThanOrEqual(LIMITS.groupChat.count);
  }, 90_000);
});
