import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Db, DbHandle } from "../../drizzle/client.js";
import { notifications } from "../../drizzle/schema/index.js";
import type { Deliverer } from "../../server/domain/delivery/port.js";
import { createTestDb } from "../helpers/db.js";
import { outboxWorker, queueNotifications, seedTicket, undelivered } from "./outbox-harness.js";

/**
 * When PostgreSQL drops its connections (a restart, pg_terminate_backend), the
 * write recording Telegram's answer can fail after the message went out. The
 * worker used to take that for a failed send: the row went back to the queue and
 * the message was sent twice; and when that write failed too, the row was left
 * "sending" until its 60 s lease ran out (how outbox-postgres.test.ts timed out
 * under load). The same wait followed a claim that PostgreSQL committed just as
 * it dropped the connection, before the client heard the commit: the round failed
 * and its rows stayed "sending" with no one delivering them. Here the worker's own
 * writes fail as a dropped connection makes them fail, deterministically, on
 * either driver.
 */
let handle: DbHandle;
let ticketId: string;
let sends: number;
const deliver: Deliverer = async () => ({ sentMessageId: ++sends });

beforeAll(async () => {
  handle = await createTestDb();
  ticketId = await seedTicket(handle.db, 77, "T-20260101-0077");
});
afterAll(() => handle.close());
beforeEach(async () => {
  sends = 0;
  await handle.db.delete(notifications);
});

/** The database, with its next `failures` direct updates rejected as on a dropped connection. */
function droppingUpdates(db: Db, failures: number): Db {
  let left = failures;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "update" && left > 0) {
        left--;
        return () => failingQuery();
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** The database, with its next transaction committed but reported lost, as when the connection drops after COMMIT. */
function losingCommit(db: Db): Db {
  let lost = false;
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== "transaction" || lost) return value;
      return async (...args: unknown[]) => {
        await value.apply(target, args);
        lost = true;
        throw Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" });
      };
    },
  });
}

/** An update builder (set, where) that fails when awaited, as postgres.js's CONNECTION_CLOSED. */
function failingQuery() {
  const error = Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" });
  const query = {
    set: () => query,
    where: () => query,
    // biome-ignore lint/suspicious/noThenProperty: stands in for a drizzle query, which is awaited
    then: (_: unknown, reject: (e: Error) => void) => reject(error),
  };
  return query;
}

async function deliverOne(failures: number, wrap = (db: Db) => droppingUpdates(db, failures)): Promise<void> {
  await queueNotifications(handle.db, ticketId, {
    count: 1,
    firstChat: 7_000_000,
    keyPrefix: `lost-${failures}`,
  });
  const worker = outboxWorker(wrap(handle.db), deliver);
  const start = Date.now();
  worker.start();
  // Well under the 60 s lease: a row left "sending" would still be there.
  while ((await undelivered(handle.db)) > 0 && Date.now() - start < 10_000)
    await new Promise((r) => setTimeout(r, 20));
  await worker.stop();
}

it("does not send a message again when recording it as sent fails once", async () => {
  await deliverOne(1);
  expect(sends).toBe(1);
  const [row] = await handle.db.select().from(notifications).where(eq(notifications.chatId, 7_000_000));
  expect(row).toMatchObject({ state: "sent", sentMessageId: 1, attempts: 1 });
});

it("records the outcome once the database is back, without waiting for the lease", async () => {
  await deliverOne(4);
  expect(await undelivered(handle.db)).toBe(0);
  expect(sends).toBe(1);
});

it("puts back rows whose claim committed although the round saw the connection drop", async () => {
  await deliverOne(0, losingCommit);
  expect(await undelivered(handle.db)).toBe(0);
  expect(sends).toBe(1);
  const [row] = await handle.db.select().from(notifications).where(eq(notifications.chatId, 7_000_000));
  // The lost claim is not counted as an attempt: only the one that delivered is.
  expect(row).toMatchObject({ state: "sent", attempts: 1 });
});
