import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db, type DbHandle } from "../../drizzle/client.js";
import { notifications } from "../../drizzle/schema/index.js";
import { BUDGET_LOCK, rowsOf } from "../../server/domain/delivery/budget.js";
import { claimDue } from "../../server/jobs/outbox/claim.js";
import { createFakeTelegram, type FakeTelegram, maxInWindow } from "../../server/sandbox/bot-api/server.js";
import { createTestDb, testDriver } from "../helpers/db.js";
import {
  outboxWorker,
  queueNotifications,
  RELAXED_LIMITS,
  seedTicket,
  telegramDeliverer,
  undelivered,
} from "./outbox-harness.js";

/** Several instances on one PostgreSQL; runs only when TEST_DATABASE_URL is set. */
describe.skipIf(testDriver() !== "postgres")("outbox on PostgreSQL with several instances", () => {
  let a: DbHandle & { url?: string };
  let b: DbHandle;
  let fake: FakeTelegram;
  let ticketId: string;

  beforeAll(async () => {
    a = await createTestDb();
    b = await createDb({ DATA_DIR: "", DATABASE_URL: a.url, maxConnections: 5 });
    fake = await createFakeTelegram();
    ticketId = await seedTicket(a.db, 43, "T-20260101-0002");
  });
  afterAll(async () => {
    await fake.close();
    await b.close();
    await a.close();
  });

  const enqueue = (n: number, prefix: string, db = a.db) =>
    queueNotifications(db, ticketId, { count: n, firstChat: 9_000_000, chats: 150, keyPrefix: prefix });

  const waitEmpty = async (ms: number, db = a.db) => {
    const end = Date.now() + ms;
    while ((await undelivered(db)) > 0) {
      if (Date.now() > end) throw new Error("outbox not drained");
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("never sends a notification twice when two workers run side by side", async () => {
    await enqueue(600, "two");
    // Each claims on its connection of its own, as in the product.
    const w1 = outboxWorker(a.db, await telegramDeliverer(a.db, fake), {
      limits: RELAXED_LIMITS,
      claimDb: a.claimDb(),
    });
    const w2 = outboxWorker(b.db, await telegramDeliverer(b.db, fake), {
      limits: RELAXED_LIMITS,
      claimDb: b.claimDb(),
    });
    w1.start();
    w2.start();
    await waitEmpty(60_000);
    await Promise.all([w1.stop(), w2.stop()]);
    expect(fake.sends()).toHaveLength(600);
    const rows = await a.db.select().from(notifications).where(eq(notifications.state, "sent"));
    expect(rows).toHaveLength(600);
    // Each chat got its rows in the order they were written.
    const byChat = new Map<number, number[]>();
    for (const r of rows.sort((x, y) => (x.sentAt?.getTime() ?? 0) - (y.sentAt?.getTime() ?? 0))) {
      byChat.set(r.chatId, [...(byChat.get(r.chatId) ?? []), r.seq]);
    }
    for (const seqs of byChat.values()) expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  }, 90_000);

  it("keeps Telegram's limits for the bot, not per instance, when two workers send", async () => {
    // Telegram's limits scaled: 10 per 200 ms for the bot, 1 per 200 ms per chat.
    const limits = {
      global: { count: 10, windowMs: 200 },
      privateChat: { count: 1, windowMs: 200 },
      groupChat: { count: 5, windowMs: 1000 },
    };
    fake.clear();
    await queueNotifications(a.db, ticketId, {
      count: 120,
      firstChat: 9_500_000,
      chats: 40,
      keyPrefix: "lim",
    });
    const w1 = outboxWorker(a.db, await telegramDeliverer(a.db, fake), { limits });
    const w2 = outboxWorker(b.db, await telegramDeliverer(b.db, fake), { limits });
    w1.start();
    w2.start();
    await waitEmpty(60_000);
    await Promise.all([w1.stop(), w2.stop()]);
    const sends = fake.sends();
    expect(sends).toHaveLength(120);
    expect(
      maxInWindow(
        sends.map((c) => c.at),
        200,
      ),
    ).toBeLessThanOrEqual(10);
    for (let chat = 9_500_000; chat < 9_500_040; chat++)
      expect(
        maxInWindow(
          fake.sends(chat).map((c) => c.at),
          200,
        ),
        `chat ${chat}`,
      ).toBeLessThanOrEqual(1);
  }, 90_000);

  it("keeps going when the database drops its connections", async () => {
    fake.clear();
    const worker = outboxWorker(b.db, await telegramDeliverer(b.db, fake), { limits: RELAXED_LIMITS });
    worker.start();
    await enqueue(50, "drop-1");
    await a.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    // The test's own pool lost its connections too: write through a new one.
    const fresh = await createDb({ DATA_DIR: "", DATABASE_URL: a.url, maxConnections: 1 });
    await enqueue(50, "drop-2", fresh.db);
    await waitEmpty(60_000, fresh.db);
    await worker.stop();
    await fresh.close();
    expect(fake.sends()).toHaveLength(100);
  }, 90_000);
  it("a claim reads after it holds the budget lock: it sees the calls another instance reserved meanwhile", async () => {
    // Claims once first, so the lock and the read are prepared on the claim's connection
    // and go out together (unprepared, the driver describes each first, one at a time).
    await a.claimDb().transaction((tx) => claimDue(tx as unknown as Db, 30, RELAXED_LIMITS));
    await enqueue(5, "lock-order");
    const holder = await createDb({ DATA_DIR: "", DATABASE_URL: a.url, maxConnections: 1 });
    try {
      let lockHeld!: () => void;
      const held = new Promise<void>((r) => {
        lockHeld = r;
      });
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      // Another instance holds the lock and fills the bot-wide window before it lets go.
      const other = holder.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${BUDGET_LOCK})`);
        lockHeld();
        await released;
        await tx.execute(sql`insert into bot_calls (chat_id, calls, expires_at, done_at)
          values (1, ${RELAXED_LIMITS.global.count}, now() + interval '1 minute', clock_timestamp())`);
      });
      await held;
      const claim = a.claimDb().transaction((tx) => claimDue(tx as unknown as Db, 30, RELAXED_LIMITS));
      await new Promise((r) => setTimeout(r, 200));
      // The claim waits for the lock (its read sent behind it on the same connection).
      const [waiting] = rowsOf<{ n: number }>(
        await a.db.execute(
          sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`,
        ),
      );
      expect(Number(waiting.n)).toBe(1);
      release();
      await other;
      const { posts } = await claim;
      // A read sent ahead of the lock would have seen an empty window and taken posts.
      expect(posts).toHaveLength(0);
    } finally {
      await holder.db.execute(sql`delete from bot_calls`);
      await holder.db.execute(sql`delete from notifications where idempotency_key like 'lock-order-%'`);
      await holder.close();
    }
  });
  it("claims on a connection of its own: a claim goes through while every pool connection is busy", async () => {
    const c = await createDb({ DATA_DIR: "", DATABASE_URL: a.url, maxConnections: 1 });
    try {
      const order: string[] = [];
      // The pool's one connection is held by a slow transaction (a delivery's writes, say).
      const busy = c.db
        .transaction(async (tx) => {
          await tx.execute(sql`select pg_sleep(1.5)`);
        })
        .then(() => order.push("busy"));
      await new Promise((r) => setTimeout(r, 100));
      await c
        .claimDb()
        .transaction((tx) => claimDue(tx as unknown as Db, 30, RELAXED_LIMITS))
        .then(() => order.push("claim"));
      await busy;
      expect(order).toEqual(["claim", "busy"]);
    } finally {
      await c.close();
    }
  });
});
