import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { flushUpdateClaims } from "../../bot/create-bot.js";
import { processedUpdates } from "../../drizzle/schema/index.js";
import { tgUser, updates } from "../helpers/fake-telegram/updates.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { harnessBot, setupBot } from "./bot-harness.js";

const STAFF = -1004000;
const world = setupTestWorld();
const botWorld = setupBot(world, STAFF);
let w: World;
beforeAll(() => {
  w = world();
});
let nextId = 720_000;
const listsTo = (chatId: number) =>
  botWorld()
    .fake.calls.filter((c) => c.method === "sendMessage" && Number(c.params.chat_id) === chatId)
    .map((c) => String(c.params.text));

describe("an update that reaches two instances at once", () => {
  it("takes effect once: the second waits for the first and then does nothing", async () => {
    const { bot, fake, send } = botWorld();
    const other = await harnessBot(w, fake, STAFF, { claimOptions: { pollMs: 20 } });
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/help"));
    const before = listsTo(tg.id).length;
    const update = updates.text(tg, "/my");
    await Promise.all([bot.handleUpdate(update as never), other.handleUpdate(update as never)]);
    expect(listsTo(tg.id)).toHaveLength(before + 1);
    // Both instances write their finished records; the row says the update ran.
    await Promise.all([flushUpdateClaims(bot), flushUpdateClaims(other)]);
    const [row] = await w.db
      .select()
      .from(processedUpdates)
      .where(eq(processedUpdates.updateId, update.update_id));
    expect(row.finished).toBe(true);
  });
});

describe("an update whose instance died half-way", () => {
  it("is run by the next arrival once the claim is older than the handler could take", async () => {
    const { send } = botWorld();
    const tg = tgUser(nextId++, "en");
    await send(updates.text(tg, "/help"));
    const before = listsTo(tg.id).length;
    const update = updates.text(tg, "/my");
    // What a process killed during the handlers leaves: a claim, never finished, two minutes old.
    await w.db.insert(processedUpdates).values({
      updateId: update.update_id,
      processedAt: new Date(Date.now() - 120_000),
    });
    await send(update);
    expect(listsTo(tg.id)).toHaveLength(before + 1);
    // A fresh unfinished claim (its holder still working) is waited on instead, not run twice.
    const held = updates.text(tg, "/help");
    await w.db.insert(processedUpdates).values({ updateId: held.update_id });
    const waiting = send(held);
    await new Promise((r) => setTimeout(r, 300));
    expect(listsTo(tg.id)).toHaveLength(before + 1);
    await w.db
      .update(processedUpdates)
      .set({ finished: true })
      .where(eq(processedUpdates.updateId, held.update_id));
    await waiting;
    expect(listsTo(tg.id)).toHaveLength(before + 1);
  });
});
