import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../../drizzle/client.js";
import { seedDefaults } from "../../server/domain/catalog/seed.js";
import { createFakeTelegram, type FakeTelegram } from "../../server/sandbox/bot-api/server.js";
import { testDriver } from "../helpers/db.js";
import { privatePostgresAvailable, startPrivatePostgres } from "../helpers/private-postgres.js";
import {
  outboxWorker,
  queueNotifications,
  RELAXED_LIMITS,
  seedTicket,
  telegramDeliverer,
  undelivered,
} from "./outbox-harness.js";

const ROWS = 200;
const BATCH = 20;

/**
 * PostgreSQL restarts (an upgrade, a crash) while notifications are pending: the
 * worker loses every connection, keeps trying, and once the server is back it
 * sends what was left. Runs with the PostgreSQL suite, on a server of its own.
 */
describe.skipIf(testDriver() !== "postgres" || !privatePostgresAvailable)(
  "PostgreSQL restarting mid-burst",
  () => {
    let pg: Awaited<ReturnType<typeof startPrivatePostgres>>;
    let handle: DbHandle;
    let fake: FakeTelegram;
    beforeAll(async () => {
      pg = await startPrivatePostgres();
      handle = await createDb({ DATA_DIR: "", DATABASE_URL: pg.url, maxConnections: 4 });
      await handle.migrate();
      await seedDefaults(handle.db);
      fake = await createFakeTelegram();
    }, 60_000);
    afterAll(async () => {
      await fake?.close();
      await handle?.close();
      pg?.stop();
    });

    it("sends everything once the server is back; nothing is lost, and only rows in flight may repeat", async () => {
      const ticketId = await seedTicket(handle.db, 44, "T-20260101-0003");
      await queueNotifications(handle.db, ticketId, {
        count: ROWS,
        firstChat: 9_500_000,
        keyPrefix: "restart",
      });
      // Slow enough that the restart lands in the middle of the burst.
      const worker = outboxWorker(handle.db, await telegramDeliverer(handle.db, fake), {
        limits: { ...RELAXED_LIMITS, global: { count: 50, windowMs: 1000 } },
        leaseMs: 1000,
        batchSize: BATCH,
      });
      worker.start();
      const end = Date.now() + 30_000;
      while (fake.sends().length < 30 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      const beforeRestart = fake.sends().length;
      pg.restart();
      expect(beforeRestart).toBeLessThan(ROWS); // the restart really came mid-burst

      for (;;) {
        const left = await undelivered(handle.db).catch(() => ROWS);
        if (left === 0) break;
        if (Date.now() > end + 30_000) throw new Error(`${left} notifications never went out`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await worker.stop();
      const perChat = new Map<number, number>();
      for (const c of fake.sends())
        perChat.set(Number(c.params.chat_id), (perChat.get(Number(c.params.chat_id)) ?? 0) + 1);
      expect(perChat.size).toBe(ROWS); // nothing lost
      const repeats = [...perChat.values()].filter((n) => n > 1).length;
      // At-least-once: only what was being sent at the moment of the restart may go twice.
      expect(repeats).toBeLessThanOrEqual(BATCH);
    }, 90_000);
  },
);
