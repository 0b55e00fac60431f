import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../../drizzle/client.js";
import { notifications, sendLedger } from "../../drizzle/schema/index.js";
import { seedDefaults } from "../../server/domain/catalog/seed.js";
import { createFakeTelegram, type FakeTelegram } from "../../server/sandbox/bot-api/server.js";
import { createTestDb, testDriver } from "../helpers/db.js";
import { queueNotifications, seedTicket } from "./outbox-harness.js";

const CHATS = 300;
const FIRST_CHAT = 8_000_000;
const child = join(import.meta.dirname, "fixtures/outbox-child.ts");
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/**
 * Where the child keeps its outbox: a PGlite data dir it opens itself (the test
 * opens it only while the child is not running), or on PostgreSQL a database of
 * this test's own, which both may hold open at once.
 */
interface Place {
  env: Record<string, string>;
  use<T>(work: (db: DbHandle["db"]) => Promise<T>): Promise<T>;
}

async function newPlace(): Promise<Place> {
  if (testDriver() === "postgres") {
    const handle = await createTestDb();
    cleanups.push(() => handle.close());
    return { env: { CHILD_DATABASE_URL: handle.url ?? "" }, use: (work) => work(handle.db) };
  }
  const dir = mkdtempSync(join(tmpdir(), "outbox-crash-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const setup = await createDb({ DATA_DIR: dir });
  await setup.migrate();
  await seedDefaults(setup.db);
  await setup.close();
  return {
    env: { CHILD_DATA_DIR: dir },
    async use(work) {
      const handle = await createDb({ DATA_DIR: dir });
      try {
        return await work(handle.db);
      } finally {
        await handle.close();
      }
    },
  };
}

/** Children still running when a test ends (it failed or timed out) are killed, not left sending. */
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  children.clear();
});

function startChild(place: Place, fakeUrl: string, env: Record<string, string> = {}): ChildProcess {
  const c = spawn(process.execPath, ["--import", "tsx", child], {
    env: { ...process.env, ...place.env, CHILD_FAKE_URL: fakeUrl, CHILD_LEASE_MS: "500", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(c);
  return c;
}
const exitOf = (p: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    p.once("exit", (code, signal) => r({ code, signal })),
  );

const until = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * A data dir whose 300 private chats each already hold a message the outbox
 * sent (the row is on record with its message id, so each chat has a last
 * known id to probe from) and a message the user wrote after it, and 300 rows
 * queued, one per chat: the burst under test.
 */
async function chatsWithHistory(fake: FakeTelegram): Promise<Place> {
  const place = await newPlace();
  await place.use(async (db) => {
    const ticketId = await seedTicket(db, 42, "T-20260101-0001");
    await db.insert(notifications).values(
      Array.from({ length: CHATS }, (_, i) => {
        const chatId = FIRST_CHAT + i;
        const sentMessageId = fake.botMessage(chatId);
        fake.userMessage(chatId);
        const sent = { state: "sent" as const, sentMessageId, sentAt: new Date(Date.now() - 60_000) };
        return { chatId, ticketId, type: "system" as const, idempotencyKey: `before-${i}`, ...sent };
      }),
    );
    await queueNotifications(db, ticketId, { count: CHATS, firstChat: FIRST_CHAT, keyPrefix: "burst" });
  });
  return place;
}

/** Every chat got its burst message exactly once, no probe changed a message, nothing is left. */
async function expectExactlyOnce(fake: FakeTelegram, place: Place) {
  const perChat = new Map<number, number>();
  for (const c of fake.sends())
    perChat.set(Number(c.params.chat_id), (perChat.get(Number(c.params.chat_id)) ?? 0) + 1);
  expect(perChat.size).toBe(CHATS);
  expect([...perChat.values()].filter((n) => n !== 1)).toEqual([]);
  // A probe that went through would have changed a message: none may.
  expect(fake.callsOf("editMessageReplyMarkup")).toEqual([]);
  await place.use(async (db) => {
    const rows = await db.select().from(notifications);
    expect(rows.filter((r) => r.state !== "sent")).toEqual([]);
    const parts = await db.select().from(sendLedger);
    expect(parts.filter((p) => p.state !== "sent")).toEqual([]);
  });
}

describe("a crash in the middle of a burst", () => {
  it("delivers exactly once when killed between Telegram's answer and its bookkeeping", async () => {
    const fake = await createFakeTelegram({ strictMessages: true });
    try {
      const place = await chatsWithHistory(fake);
      // Killed by its own hook, right after the 40th answer, before anything is written.
      const first = startChild(place, fake.url, { CHILD_KILL_AFTER_ANSWERS: "40" });
      expect(await exitOf(first)).toEqual({ code: null, signal: "SIGKILL" });
      const sentBeforeCrash = fake.sends().length;
      expect(sentBeforeCrash).toBeGreaterThanOrEqual(40);
      expect(sentBeforeCrash).toBeLessThan(CHATS);

      expect(await exitOf(startChild(place, fake.url))).toEqual({ code: 0, signal: null });
      await expectExactlyOnce(fake, place);
      // The answer the kill lost was found on Telegram's side, not sent again.
      const notModified = fake.calls.filter((c) => /not modified/.test(c.failure?.description ?? ""));
      expect(notModified.length).toBeGreaterThanOrEqual(1);
    } finally {
      await fake.close();
    }
  }, 120_000);

  it("delivers exactly once after SIGKILL at a random moment and a restart", async () => {
    const fake = await createFakeTelegram({ strictMessages: true });
    try {
      const place = await chatsWithHistory(fake);
      const first = startChild(place, fake.url);
      const killAt = 30 + Math.floor(Math.random() * 120);
      await until(() => fake.sends().length >= killAt, 60_000);
      first.kill("SIGKILL");
      await exitOf(first);
      expect(fake.sends().length).toBeLessThan(CHATS);

      expect(await exitOf(startChild(place, fake.url))).toEqual({ code: 0, signal: null });
      await expectExactlyOnce(fake, place);
    } finally {
      await fake.close();
    }
  }, 120_000);
});
