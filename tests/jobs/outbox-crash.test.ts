import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../drizzle/client.js";
import { notifications } from "../../drizzle/schema/index.js";
import { seedDefaults } from "../../server/domain/catalog/seed.js";
import { testDriver } from "../helpers/db.js";
import { createFakeTelegram } from "../helpers/fake-telegram/server.js";
import { queueNotifications, seedTicket } from "./outbox-harness.js";

const CHATS = 300;
const BATCH = 30;
const child = join(import.meta.dirname, "fixtures/outbox-child.ts");
const dir = mkdtempSync(join(tmpdir(), "outbox-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startChild(fakeUrl: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", child], {
    env: { ...process.env, CHILD_DATA_DIR: dir, CHILD_FAKE_URL: fakeUrl, CHILD_LEASE_MS: "500" },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

const until = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

// The crash test drives the embedded database in a child process; PostgreSQL
// has the two-worker test in outbox-postgres.test.ts.
describe.skipIf(testDriver() === "postgres")("a crash in the middle of a burst", () => {
  it("loses nothing after SIGKILL and a restart, and re-sends at most the rows in flight", async () => {
    const setup = await createDb({ DATA_DIR: dir });
    await setup.migrate();
    await seedDefaults(setup.db);
    const ticketId = await seedTicket(setup.db, 42, "T-20260101-0001");
    await queueNotifications(setup.db, ticketId, { count: CHATS, firstChat: 8_000_000, keyPrefix: "crash" });
    await setup.close();

    const fake = await createFakeTelegram();
    try {
      const first = startChild(fake.url);
      await until(() => fake.sends().length >= 60, 60_000);
      first.kill("SIGKILL");
      await new Promise((r) => first.once("exit", r));
      const sentBeforeCrash = fake.sends().length;
      expect(sentBeforeCrash).toBeLessThan(CHATS);

      const second = startChild(fake.url);
      const code = await new Promise<number | null>((r) => second.once("exit", r));
      expect(code).toBe(0);

      const perChat = new Map<number, number>();
      for (const c of fake.sends())
        perChat.set(Number(c.params.chat_id), (perChat.get(Number(c.params.chat_id)) ?? 0) + 1);
      expect(perChat.size).toBe(CHATS);
      const duplicates = [...perChat.values()].reduce((sum, n) => sum + n - 1, 0);
      // The documented guarantee: at-least-once, and only rows that were in flight
      // (claimed, sent, not yet recorded) when the process died can arrive twice.
      expect(duplicates).toBeLessThanOrEqual(BATCH);

      const check = await createDb({ DATA_DIR: dir });
      const rows = await check.db.select().from(notifications);
      expect(rows.filter((r) => r.state !== "sent")).toEqual([]);
      await check.close();
    } finally {
      await fake.close();
    }
  }, 120_000);
});
