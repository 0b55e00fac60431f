import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookHandler } from "../../bot/create-bot.js";
import type { DbHandle } from "../../drizzle/client.js";
import { processedUpdates } from "../../drizzle/schema/index.js";
import { startInstanceLiveness } from "../../server/domain/index.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { createTestDb, testDriver } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";
import { silentLogger } from "../jobs/outbox-harness.js";
import { harnessBot, setupBot } from "./bot-harness.js";

const STAFF = -1004000;
let handle: DbHandle;
let w: World;
beforeAll(async () => {
  handle = await createTestDb();
  w = createWorld(handle.db);
});
afterAll(async () => {
  await handle.close();
});
const botWorld = setupBot(() => w, STAFF);

const answersTo = (chatId: number) =>
  botWorld().fake.calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId)
    .length;

/** An update some process claimed just now and never finished. */
async function claimedBy(holder: string, id: number) {
  const tg = tgUser(id, "en");
  const update = updates.text(tg, "/help");
  await w.db.insert(processedUpdates).values({ updateId: update.update_id, claimedBy: holder });
  return { tg, update };
}

const post = (bot: Parameters<typeof webhookHandler>[0], update: object) =>
  webhookHandler(
    bot,
    undefined,
    silentLogger,
  )(new Request("http://bot/telegram/webhook", { method: "POST", body: JSON.stringify(update) }));

describe("an update claimed by a process that died", () => {
  it("is taken over at once through the webhook, not refused with 503 until the claim ages", async () => {
    const dead = await startInstanceLiveness(handle);
    const { tg, update } = await claimedBy(dead.holder, 740_001);
    // kill -9: the process's connection closes, and with it its lock.
    await dead.close();
    const alive = await startInstanceLiveness(handle);
    try {
      // Without the liveness check this waits the whole 20 s and answers 503.
      const bot = await harnessBot(w, botWorld().fake, STAFF, { liveness: alive });
      expect((await post(bot, update)).status).toBe(200);
      expect(answersTo(tg.id)).toBe(1);
    } finally {
      await alive.close();
    }
  });

  it.skipIf(testDriver() === "pglite")(
    "is left to a holder still running (PostgreSQL: another instance may be handling it)",
    async () => {
      const running = await startInstanceLiveness(handle);
      const me = await startInstanceLiveness(handle);
      try {
        const { tg, update } = await claimedBy(running.holder, 740_002);
        expect(await me.isAlive(running.holder)).toBe(true);
        const bot = await harnessBot(w, botWorld().fake, STAFF, {
          liveness: me,
          claimOptions: { waitMs: 300, pollMs: 20 },
        });
        expect((await post(bot, update)).status).toBe(503);
        expect(answersTo(tg.id)).toBe(0);
        await running.close();
        expect(await me.isAlive(running.holder)).toBe(false);
        expect((await post(bot, update)).status).toBe(200);
        expect(answersTo(tg.id)).toBe(1);
      } finally {
        await running.close().catch(() => {});
        await me.close();
      }
    },
  );
});
