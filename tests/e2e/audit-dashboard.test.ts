import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq, inArray } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, categories, tickets, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/**
 * Wider than the screen means a sideways scroll on a phone: none allowed at 390 px. Gives
 * the elements that reach past either edge (tag.class), so a failure names the culprit.
 */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  });

/**
 * The dashboard's "needs attention" (a tap opens the queue with those tickets) and the
 * admin audit log screen (filters, More, CSV), at 390 px in Persian and English.
 */
describe.skipIf(!hasChromium)("the dashboard's needs attention and the audit log screen", () => {
  let app: MiniAppBrowser;
  let adminId: string;
  beforeAll(async () => {
    app = await startMiniAppBrowser();
    const db = app.db.db;
    const [requester] = await db
      .insert(users)
      .values({ telegramId: 6_300_001, firstName: "Ali", role: "requester", language: "fa" })
      .returning();
    const [admin] = await db
      .insert(users)
      .values({ telegramId: 6_300_002, firstName: "Maryam", role: "admin", language: "en" })
      .returning();
    adminId = admin.id;
    const [category] = await db.select().from(categories).where(eq(categories.code, "network"));
    const ids: string[] = [];
    for (const title of ["اینترنت کلاس ۴", "پرینتر دفتر", "وای‌فای سالن"])
      ids.push(
        (
          await createTicket({
            ctx: app.contexts.forUser(requester),
            input: { title, categoryId: category.id },
          })
        ).id,
      );
    // Two of the three breached, as the SLA job would leave them.
    await db
      .update(tickets)
      .set({ slaState: "breached" })
      .where(inArray(tickets.id, ids.slice(0, 2)));
    // 35 changes by Maryam (more than a page of 30) and one by nobody (the system).
    const base = Date.parse("2026-03-01T08:00:00Z");
    await db.insert(auditLog).values([
      ...Array.from({ length: 35 }, (_, i) => ({
        actorId: admin.id,
        action: "setting.update",
        entity: "setting",
        entityId: `auto_close_hours_${i}`,
        before: i,
        after: i + 1,
        createdAt: new Date(base + i * 60_000),
      })),
      {
        actorId: null,
        action: "branch.create",
        entity: "branch",
        entityId: "b-long-identifier-that-must-wrap-not-overflow-0123456789",
        after: { name: { fa: "شعبهٔ مرکزی با نامی بلند", en: "Main branch" } },
        createdAt: new Date(base - 86_400_000),
      },
    ]);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it("shows Persian staff what needs attention and opens the breached tickets on a tap", async () => {
    const page = await app.openAs(6_300_010, "fa", DARK, "moderator");
    await page.setViewportSize({ width: 390, height: 800 });
    await page.click('nav button:has-text("داشبورد")');
    await page.waitForSelector('[data-attention="breached"]');
    const count = (key: string) => page.textContent(`[data-attention="${key}"] .attention-count`);
    expect(await count("unassigned")).toBe("۳");
    expect(await count("breached")).toBe("۲");
    expect(await count("atRisk")).toBe("۰");
    expect(await page.textContent('[data-attention="oldest"] .row-sub')).toContain("اینترنت کلاس ۴");
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await page.screenshot({ path: join(artifacts, "dashboard-attention-fa.png"), fullPage: true });
    expect(await overflow(page)).toEqual([]);
    await page.click('[data-attention="breached"]');
    await page.waitForSelector('.row-title:has-text("پرینتر دفتر")');
    const titles = await page.locator(".row-title").allTextContents();
    expect(titles.sort()).toEqual(["اینترنت کلاس ۴", "پرینتر دفتر"].sort());
    await page.close();
  });

  it("lets an English admin page, filter and download the audit log", async () => {
    const page = await app.openAs(6_300_011, "en", LIGHT, "admin");
    await page.setViewportSize({ width: 390, height: 800 });
    await page.click('nav button:has-text("Admin")');
    await page.click('.subnav button:has-text("Audit log")');
    await page.waitForSelector(".audit-row");
    expect(await page.locator(".audit-row").count()).toBe(30);
    await page.click(".audit-more");
    await page.waitForFunction(() => document.querySelectorAll(".audit-row").length === 36);
    expect(await page.textContent(".audit-row:last-child .row-title")).toBe("System · branch.create");
    // Only Maryam's changes.
    await page.selectOption('select[name="actorId"]', adminId);
    await page.waitForFunction(() => document.querySelectorAll(".audit-row").length === 30);
    await page.click(".audit-more");
    await page.waitForFunction(() => document.querySelectorAll(".audit-row").length === 35);
    // Before and after unfold under the row.
    await page.click(".audit-row:first-child summary");
    expect(await page.textContent(".audit-row:first-child .audit-change")).toBe("Before34After35");
    await page.screenshot({ path: join(artifacts, "audit-en.png"), fullPage: true });
    expect(await overflow(page)).toEqual([]);
    // Branches only: the system's one entry.
    await page.selectOption('select[name="actorId"]', "");
    await page.selectOption('select[name="entity"]', "branch");
    await page.waitForFunction(() => document.querySelectorAll(".audit-row").length === 1);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(".audit-csv")]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path()) as string);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").slice(1).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("When,Who,Action,Entity,Entity id,Before,After");
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain(",branch.create,branch,b-long-identifier");
    await page.close();
  });

  it("shows the audit log in Persian, right to left, without overflow", async () => {
    const page = await app.openAs(6_300_012, "fa", DARK, "admin");
    await page.setViewportSize({ width: 390, height: 800 });
    await page.click('nav button:has-text("مدیریت")');
    await page.click('.subnav button:has-text("گزارش تغییرات")');
    await page.waitForSelector(".audit-row");
    // Days are typed as Jalali dates: 1404/12/09 is 28 February 2026, the day of the one branch change.
    await page.fill('input[name="from"]', "۱۴۰۴/۱۲/۰۹");
    await page.fill('input[name="to"]', "۱۴۰۴/۱۲/۰۹");
    await page.locator('input[name="to"]').blur();
    await page.waitForFunction(() => document.querySelectorAll(".audit-row").length === 1);
    expect(await page.locator(".audit-more").count()).toBe(0);
    expect(await page.textContent(".audit-row .row-title")).toBe("سیستم · branch.create");
    await page.click(".audit-row summary");
    await page.screenshot({ path: join(artifacts, "audit-fa.png"), fullPage: true });
    expect(await overflow(page)).toEqual([]);
    await page.close();
  });
});
