import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tickets, users } from "../../drizzle/schema/index.js";
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
 * SLA in the Mini App in Chromium: a badge on the queue's rows (time left, overdue,
 * met, coloured by state), the Escalated tab, the SLA filter, the badge on the
 * ticket screen, and nothing of it for the requester.
 */
describe.skipIf(!hasChromium)("SLA badges in the Mini App", () => {
  let app: MiniAppBrowser;
  const MIN = 60_000;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    const { db, contexts } = app;
    const [requester] = await db.db
      .insert(users)
      .values({ telegramId: 3_300_100, firstName: "Nima", language: "en" })
      .returning();
    const categoryId = (await db.db.query.categories.findFirst())!.id;
    const at = (minutes: number) => new Date(Date.now() + minutes * MIN);
    const none = { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
    const make = async (title: string, cols: Partial<typeof tickets.$inferInsert>) => {
      const t = await createTicket({ ctx: contexts.forUser(requester), input: { title, categoryId } });
      await db.db
        .update(tickets)
        .set({ ...none, ...cols })
        .where(eq(tickets.id, t.id));
      return t.id;
    };
    // 2 h 15 min and a half: the badge rounds to whole minutes however long the page takes.
    ids.onTrack = await make("Laptop will not boot", {
      slaState: "on_track",
      firstResponseDueAt: at(135.5),
      resolutionDueAt: at(600),
    });
    ids.atRisk = await make("Email bounces", { slaState: "at_risk", resolutionDueAt: at(20.5) });
    ids.overdue = await make("Server room too hot", {
      slaState: "breached",
      resolutionDueAt: at(-40),
      escalatedAt: at(-30),
    });
    ids.met = await make("Password reset", { slaState: "met" });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  const row = (page: import("playwright-core").Page, title: string) =>
    page.locator(".row", { has: page.locator(".row-title", { hasText: title }) });

  it("shows time left, overdue and met on the queue's rows, coloured by state (en)", async () => {
    const page = await app.openAs(3_300_001, "en", LIGHT, "agent");
    await page.click('.tab:has-text("All")');
    await page.waitForSelector('.row:has-text("Laptop will not boot") .sla-badge');
    const badge = (title: string) => row(page, title).locator(".sla-badge");
    expect(await badge("Laptop will not boot").textContent()).toBe("2 h 15 min left");
    expect(await badge("Laptop will not boot").getAttribute("data-sla")).toBe("ok");
    expect(await badge("Email bounces").textContent()).toBe("20 min left");
    expect(await badge("Email bounces").getAttribute("data-sla")).toBe("risk");
    expect(await badge("Server room too hot").textContent()).toBe("overdue 40 min");
    expect(await badge("Server room too hot").getAttribute("data-sla")).toBe("breach");
    expect(await badge("Password reset").textContent()).toBe("met");
    expect(await badge("Laptop will not boot").getAttribute("title")).toMatch(
      /^Due \d{1,2} \w{3} 2\d{3}, \d\d:\d\d$/,
    );
    // The three tones differ in colour (CSS variables of the theme).
    const colour = (title: string) => badge(title).evaluate((el) => getComputedStyle(el).color);
    const tones = new Set([
      await colour("Laptop will not boot"),
      await colour("Email bounces"),
      await colour("Server room too hot"),
    ]);
    expect(tones.size).toBe(3);
    await page.screenshot({ path: join(artifacts, "sla-queue-en-light.png"), fullPage: true });

    // The SLA filter keeps the breached one only.
    await page.selectOption('select[aria-label="SLA"]', "breached");
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 1);
    expect(await page.locator(".row-title").allTextContents()).toEqual(["Server room too hot"]);
    await page.selectOption('select[aria-label="SLA"]', "");

    // The Escalated tab lists the ticket a breach escalated.
    await page.click('.tab:has-text("Escalated")');
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 1);
    expect(await page.locator(".row-title").allTextContents()).toEqual(["Server room too hot"]);

    // The ticket screen shows the badge in its header.
    await page.click('.row:has-text("Server room too hot")');
    await page.waitForSelector(".ticket-sla .sla-badge");
    expect(await page.textContent(".ticket-sla .sla-badge")).toBe("overdue 40 min");
    await page.close();
  });

  it("counts in Persian with a Jalali due date (fa, dark)", async () => {
    const page = await app.openAs(3_300_002, "fa", DARK, "moderator");
    await page.click('.tab:has-text("همه")');
    await page.waitForSelector('.row:has-text("Laptop will not boot") .sla-badge');
    const badge = row(page, "Laptop will not boot").locator(".sla-badge");
    expect(await badge.textContent()).toBe("۲ ساعت و ۱۵ دقیقه مانده");
    // Jalali year (14xx) in Persian digits.
    expect(await badge.getAttribute("title")).toMatch(/^مهلت: .*۱۴[۰-۹]{2}/);
    await page.screenshot({ path: join(artifacts, "sla-queue-fa-dark.png"), fullPage: true });
    await page.close();
  });

  it("shows the requester no SLA, no Escalated tab and no SLA filter", async () => {
    const page = await app.openAs(3_300_100, "en", LIGHT, "requester");
    await page.waitForSelector('.row:has-text("Server room too hot")');
    expect(await page.locator(".sla-badge").count()).toBe(0);
    expect(await page.locator('.tab:has-text("Escalated")').count()).toBe(0);
    expect(await page.locator('select[aria-label="SLA"]').count()).toBe(0);
    await page.close();
  });
});
