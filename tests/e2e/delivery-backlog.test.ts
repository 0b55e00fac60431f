import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branches, notifications, users } from "../../drizzle/schema/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/**
 * The admin's Delivery screen in Chromium: "nothing queued" on an empty outbox,
 * then the chats notifications wait for, longest first, the one behind marked,
 * in English and right to left in Persian.
 */
describe.skipIf(!hasChromium)("the Mini App's Delivery screen in Chromium", () => {
  let app: MiniAppBrowser;
  let key = 0;
  const queue = (chatId: number, ageS: number) =>
    app.db.db.insert(notifications).values({
      chatId,
      type: "system",
      idempotencyKey: `e2e-backlog-${key++}`,
      createdAt: sql`now() - make_interval(secs => ${ageS})`,
    });

  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it("says nothing is queued, then lists the chats behind with their queue and lag (en)", async () => {
    const page = await app.openAs(3_200_001, "en", LIGHT, "admin");
    await page.click('.nav button:has-text("Admin")');
    await page.click('.subnav button:has-text("Delivery")');
    await page.waitForSelector('.delivery-empty:has-text("Nothing queued")');
    expect(await page.locator(".delivery-row").count()).toBe(0);

    await app.db.db
      .insert(users)
      .values({ telegramId: 3_200_100, firstName: "Parisa", lastName: "Ahmadi", username: "pa" });
    await app.db.db
      .insert(branches)
      .values({ code: "south", name: { fa: "جنوب", en: "South" }, staffChatId: -100320 });
    await queue(3_200_100, 330); // five and a half minutes: behind
    await queue(3_200_100, 20);
    await queue(-100320, 8); // just written: keeping up

    // Open the screen again (it also looks again every 15 s by itself).
    await page.click('.subnav button:has-text("Undelivered")');
    await page.click('.subnav button:has-text("Delivery")');
    await page.waitForSelector(".delivery-row");
    const rows = page.locator(".delivery-row");
    expect(await rows.count()).toBe(2);
    const person = rows.nth(0);
    expect(await person.getAttribute("data-chat-id")).toBe("3200100");
    expect(await person.getAttribute("class")).toContain("behind");
    expect(await person.locator(".row-title").textContent()).toBe("Parisa Ahmadi (@pa)");
    expect(await person.locator(".row-sub").textContent()).toBe("Private chat · Queued: 2");
    expect(await person.locator(".delivery-lag").textContent()).toMatch(/^⚠ 5 min$/);
    const group = rows.nth(1);
    expect(await group.getAttribute("class")).not.toContain("behind");
    expect(await group.locator(".row-title").textContent()).toBe("Staff chat of South");
    expect(await group.locator(".row-sub").textContent()).toBe("Group · Queued: 1");
    expect(await group.locator(".delivery-lag").textContent()).toMatch(/^\d+ s$/);
    expect(await page.locator(".delivery-empty").count()).toBe(0);
    await page.screenshot({ path: join(artifacts, "admin-delivery-en-light.png"), fullPage: true });
    await page.close();
  });

  it("reads right to left with Persian digits (fa, dark)", async () => {
    const page = await app.openAs(3_200_002, "fa", DARK, "owner");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.click('.nav button:has-text("مدیریت")');
    await page.click('.subnav button:has-text("صف ارسال")');
    await page.waitForSelector('.delivery-row[data-chat-id="3200100"]');
    const person = page.locator('.delivery-row[data-chat-id="3200100"]');
    expect(await person.locator(".row-sub").textContent()).toBe("گفتگوی خصوصی · در صف: ۲");
    expect(await person.locator(".delivery-lag").textContent()).toBe("⚠ ۵ دقیقه");
    expect(await page.textContent('.delivery-row[data-chat-id="-100320"] .row-title')).toBe(
      "گروه کارکنان جنوب",
    );
    await page.screenshot({ path: join(artifacts, "admin-delivery-fa-dark.png"), fullPage: true });
    await page.close();
  });

  it("is not offered to a moderator", async () => {
    const page = await app.openAs(3_200_003, "en", LIGHT, "moderator");
    await page.click('.nav button:has-text("Admin")');
    await page.waitForSelector('button:has-text("Add a person")');
    expect(await page.locator('button:has-text("Delivery")').count()).toBe(0);
    await page.close();
  });
});
