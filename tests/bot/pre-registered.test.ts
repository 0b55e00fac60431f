import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema/index.js";
import { createUser } from "../../server/domain/index.js";
import { createI18n } from "../../server/i18n.js";
import { tgUser, updates } from "../../server/sandbox/bot-api/updates.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupBot } from "./bot-harness.js";

/**
 * Someone an admin registered in the Mini App (POST /api/users) writes to the bot
 * for the first time: the bot's upsert refreshes their names from Telegram and
 * keeps the role, branch and language they were given.
 */
const STAFF = -1004300;
const world = setupTestWorld({ staffChatId: STAFF });
const bot = setupBot(world, STAFF);

describe("a person registered before their first message", () => {
  it("keeps role, branch and language when they /start the bot", async () => {
    const w = world();
    const admin = await w.user("admin");
    const branch = await w.branch();
    const made = await createUser({
      ctx: w.ctx(admin),
      input: { telegramId: 680_001, firstName: "Typed", role: "agent", branchId: branch.id, language: "ru" },
    });
    // Telegram says German and another name.
    const tg = tgUser(680_001, "de", "Farhad");
    await bot().send(updates.text(tg, "/start"));
    const [after] = await w.db.select().from(users).where(eq(users.telegramId, 680_001));
    expect(after).toMatchObject({
      id: made.id,
      firstName: "Farhad",
      username: "user680001",
      role: "agent",
      branchId: branch.id,
      language: "ru",
    });
    // They have not picked a language themselves yet: asked, in the one the admin gave.
    const ru = (await createI18n("fa")).getFixedT("ru", "bot");
    expect(bot().textsTo(tg.id)).toContain(ru("choose_language"));
  });
});
