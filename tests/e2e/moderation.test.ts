import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { hasChromium, LIGHT, type MiniAppBrowser, startMiniAppBrowser } from "../helpers/miniapp-browser.js";

/**
 * Ban, shadow-ban and unban in Chromium (miniapp/src/moderation-control.tsx): in
 * admin Users, on a requester's row; on the ticket screen, under the requester.
 */
describe.skipIf(!hasChromium)("moderation in the Mini App", () => {
  let app: MiniAppBrowser;
  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });
  const stateOf = async (id: string) =>
    (await app.db.db.select().from(users).where(eq(users.id, id)))[0].moderation;

  it("bans and unbans a requester from admin Users, and shadow-bans one from the ticket screen", async () => {
    const db = app.db.db;
    const [requester] = await db
      .insert(users)
      .values({ telegramId: 4_200_001, firstName: "Kaveh", languageChosen: true })
      .returning();
    const page = await app.openAs(4_200_000, "en", LIGHT, "admin");
    await page.click('.nav button:has-text("Admin")');
    const item = page.locator("li.user-with-moderation", {
      has: page.locator('.admin-row[data-telegram-id="4200001"]'),
    });
    await item.locator('[data-testid="moderation"]:has-text("Not banned")').waitFor();
    await item.locator('button:has-text("Ban")').first().click();
    await item.locator('[data-testid="moderation"]:has-text("Moderation: Banned")').waitFor();
    expect(await stateOf(requester.id)).toBe("banned");
    await item.locator('button:has-text("Unban")').click();
    await item.locator('[data-testid="moderation"]:has-text("Not banned")').waitFor();
    expect(await stateOf(requester.id)).toBe("none");

    const category = (await db.query.categories.findFirst())?.id ?? "";
    const ticket = await createTicket({
      ctx: app.contexts.forUser(requester),
      input: { title: "Spam from this account", categoryId: category },
    });
    const onTicket = await app.openAs(4_200_000, "en", LIGHT, "admin", `t_${ticket.number}`);
    // The control sits in the sheet under the ticket's compact header, one tap away.
    await onTicket.click(".ticket-summary");
    const control = onTicket.locator('[data-testid="moderation"]');
    await control.locator('button:has-text("Shadow-ban")').click();
    await onTicket.locator('[data-testid="moderation"]:has-text("Moderation: Shadow-banned")').waitFor();
    expect(await stateOf(requester.id)).toBe("shadow");
  }, 120_000);
});
