import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../../drizzle/client.js";
import { notifications } from "../../drizzle/schema/index.js";
import type { RateLimits } from "../../server/domain/delivery/budget.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import { createFakeTelegram, type FakeTelegram, maxInWindow } from "../../server/sandbox/bot-api/server.js";
import { createTestDb, testDriver } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";
import { outboxWorker, telegramDeliverer, undelivered } from "./outbox-harness.js";

/** Telegram's limits scaled down in time: a group's 20 a minute becomes 20 per 1.5 s. */
const LIMITS: RateLimits = {
  global: { count: 30, windowMs: 50 },
  privateChat: { count: 1, windowMs: 50 },
  groupChat: { count: 20, windowMs: 1500 },
};
const GROUP = -1004200;

/** Two instances on one PostgreSQL draining one backlog; runs only when TEST_DATABASE_URL is set. */
describe.skipIf(testDriver() !== "postgres")("a burst drained by two instances on PostgreSQL", () => {
  let a: DbHandle & { url?: string };
  let b: DbHandle;
  let fake: FakeTelegram;
  let w: World;

  beforeAll(async () => {
    a = await createTestDb();
    b = await createDb({ DATA_DIR: "", DATABASE_URL: a.url, maxConnections: 5 });
    fake = await createFakeTelegram({ strictMessages: true });
    w = createWorld(a.db, { staffChatId: GROUP });
  });
  afterAll(async () => {
    await fake.close();
    await b.close();
    await a.close();
  });

  it("delivers each message once, merged or not, and keeps the group's window between them", async () => {
    const requester = await w.user("requester");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ticket = await createTicket({
        ctx: w.ctx(requester),
        input: { title: `Two ${i}`, categoryId: await w.categoryId() },
      });
      ids.push(ticket.id);
    }
    await a.db.delete(notifications);
    // More than the group may receive now (merged posts), fewer than its digest threshold (30 rows here).
    const bodies = Array.from({ length: 28 }, (_, i) => `burst ${i} for ${i % 5}`);
    for (const [i, body] of bodies.entries())
      await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ids[i % 5], body } });

    const w1 = outboxWorker(a.db, await telegramDeliverer(a.db, fake), { limits: LIMITS });
    const w2 = outboxWorker(b.db, await telegramDeliverer(b.db, fake), { limits: LIMITS });
    w1.start();
    w2.start();
    const end = Date.now() + 60_000;
    while ((await undelivered(a.db)) > 0) {
      if (Date.now() > end) throw new Error("backlog not drained");
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([w1.stop(), w2.stop()]);

    const posts = fake.sends(GROUP);
    const texts = posts.map((c) => String(c.params.text ?? ""));
    for (const body of bodies)
      expect(
        texts.filter((t) => t.includes(body)),
        body,
      ).toHaveLength(1);
    expect(posts.length).toBeLessThan(bodies.length);
    expect(
      maxInWindow(
        posts.map((c) => c.at),
        LIMITS.groupChat.windowMs,
      ),
    ).toBeLessThanOrEqual(LIMITS.groupChat.count);
    const rows = await a.db.select().from(notifications).where(eq(notifications.chatId, GROUP));
    expect(rows.every((r) => r.state === "sent")).toBe(true);
  }, 90_000);
});
