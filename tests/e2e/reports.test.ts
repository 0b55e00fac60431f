import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories, users } from "../../drizzle/schema/index.js";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/** The reports screen: Jalali range in Persian, tables with totals, a CSV export, a bar opening the queue. */
describe.skipIf(!hasChromium)("the Mini App's reports screen", () => {
  let app: MiniAppBrowser;
  beforeAll(async () => {
    app = await startMiniAppBrowser();
    const db = app.db.db;
    const [requester] = await db
      .insert(users)
      .values({ telegramId: 6_200_001, firstName: "Ali", role: "requester", language: "fa" })
      .returning();
    const [agent] = await db
      .insert(users)
      .values({ telegramId: 6_200_002, firstName: "Sara", role: "agent", language: "en" })
      .returning();
    const [category] = await db.select().from(categories).where(eq(categories.code, "network"));
    for (const title of ["اینترنت کلاس ۴", "پرینتر دفتر", "وای‌فای سالن"]) {
      const tk = await createTicket({
        ctx: app.contexts.forUser(requester),
        input: { title, categoryId: category.id },
      });
      if (title === "پرینتر دفتر")
        await changeTicketStatus({
          ctx: app.contexts.forUser(agent),
          input: { ticketId: tk.id, status: "resolved" },
        });
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("shows Persian readers a Jalali range, the figures with totals, and exports CSV with a BOM", async () => {
    const page = await app.openAs(6_200_010, "fa", DARK, "auditor");
    await page.click('nav button:has-text("گزارش‌ها")');
    await page.waitForSelector('section[data-report="volume"] tfoot');
    // The range is entered and shown as Jalali dates with Persian digits.
    expect(await page.inputValue('input[name="to"]')).toMatch(/^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}$/);
    const totals = await page.textContent('section[data-report="volume"] tfoot');
    expect(totals).toBe("جمع۳۱۰۰");
    expect(await page.textContent('section[data-report="breakdown"] tfoot')).toContain("۳");
    await page.screenshot({ path: join(artifacts, "reports-fa.png"), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('section[data-report="volume"] button:has-text("CSV")'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^volume-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path()) as string);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toContain("دوره,ایجاد شده,حل شده,بسته شده,بازگشایی شده");
    await page.close();
  });

  it("opens the queue filtered to a category when its bar is tapped", async () => {
    const page = await app.openAs(6_200_011, "en", LIGHT, "admin");
    await page.click('nav button:has-text("Reports")');
    await page.waitForSelector('section[data-report="breakdown"] .bar-row');
    await page.screenshot({ path: join(artifacts, "reports-en.png"), fullPage: true });
    await page.click('section[data-report="breakdown"] .bar-row');
    await page.waitForSelector('.row-title:has-text("پرینتر دفتر")');
    expect(await page.locator(".row-title").count()).toBe(3);
    await page.close();
  });
});
