import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branches, notifications, scheduledReports, users } from "../../drizzle/schema/index.js";
import { createScheduledReport } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/**
 * Scheduled reports at 390 px: an admin edits a schedule (report, format, cadence,
 * time, zone, chat picked among the chats a report may go to) with an explicit Save
 * and the server's refusals next to their fields, deletes one after a confirmation
 * (cancelling it keeps it), in English and Persian without a horizontal scroll; and
 * "Send to chat" on the reports screen posts to the chat picked, not only the staff chat.
 */
const BRANCH_CHAT = -1007001;

describe.skipIf(!hasChromium)("scheduled reports and sending to a chat, in Chromium", () => {
  let app: MiniAppBrowser;

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    await app.db.db
      .insert(branches)
      .values({ code: "north", name: { fa: "شمال", en: "North", ru: "Север" }, staffChatId: BRANCH_CHAT });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  const adminCtx = async (telegramId: number) => {
    const [me] = await app.db.db.select().from(users).where(eq(users.telegramId, telegramId));
    return app.contexts.forUser(me);
  };
  const schedule = async (telegramId: number) =>
    createScheduledReport({
      ctx: await adminCtx(telegramId),
      input: {
        report: "volume",
        format: "pdf",
        frequency: "weekly",
        weekday: 6,
        time: "08:00",
        timeZone: "Asia/Tehran",
        language: "fa",
      },
    });
  const openScheduled = async (page: Page, admin: string, scheduled: string) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.click(`nav button:has-text("${admin}")`);
    await page.click(`.subnav button:has-text("${scheduled}")`);
    await page.waitForSelector("li[data-schedule]");
  };
  const noHorizontalScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  const rowOf = async (id: string) =>
    (await app.db.db.select().from(scheduledReports).where(eq(scheduledReports.id, id)))[0];

  it("edits a schedule with Save and field errors, and deletes one after a confirmation (en)", async () => {
    const page = await app.openAs(7_100_001, "en", LIGHT, "admin");
    const row = await schedule(7_100_001);
    await openScheduled(page, "Admin", "Scheduled reports");
    const item = page.locator(`li[data-schedule="${row.id}"]`);
    await item.locator('[data-action="edit"]').click();
    const form = item.locator(".schedule-form");
    await form.locator('select[data-field="report"]').selectOption("agents");
    await form.locator('select[data-field="format"]').selectOption("xlsx");
    await form.locator('select[data-field="frequency"]').selectOption("daily");
    await form.locator('input[data-field="time"]').fill("25:00");
    await form.locator('input[data-field="timeZone"]').fill("Europe/Berlin");
    await form.locator('select[data-field="chatId"]').selectOption({ label: "Branch staff chat: North" });
    // Nothing is saved while typing; a bad time is refused next to its field.
    expect((await rowOf(row.id)).report).toBe("volume");
    await form.locator('[data-action="save"]').click();
    await form.locator('.field-error[data-field="time"]').waitFor();
    expect((await rowOf(row.id)).time).toBe("08:00");
    await form.locator('input[data-field="time"]').fill("09:30");
    await form.locator('[data-action="save"]').click();
    await item.locator(".schedule-form").waitFor({ state: "detached" });
    expect(await rowOf(row.id)).toMatchObject({
      report: "agents",
      format: "xlsx",
      frequency: "daily",
      weekday: null,
      time: "09:30",
      timeZone: "Europe/Berlin",
      chatId: BRANCH_CHAT,
    });
    // The list shows it once its refetch after the save lands (polled, not read at once).
    await expect.poll(() => item.textContent()).toContain("Branch staff chat: North");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(artifacts, "scheduled-reports-en.png"), fullPage: true });

    // Delete asks first: cancelling keeps it, confirming removes it.
    page.once("dialog", (d) => d.dismiss());
    await item.locator('[data-action="delete"]').click();
    expect(await rowOf(row.id)).toBeDefined();
    page.once("dialog", (d) => d.accept());
    await item.locator('[data-action="delete"]').click();
    await item.waitFor({ state: "detached" });
    expect(await rowOf(row.id)).toBeUndefined();
    await page.close();
  }, 90_000);

  it("shows a zone that does not exist next to its field, right to left (fa)", async () => {
    const page = await app.openAs(7_100_002, "fa", DARK, "admin");
    const row = await schedule(7_100_002);
    await openScheduled(page, "مدیریت", "گزارش‌های زمان‌بندی‌شده");
    const item = page.locator(`li[data-schedule="${row.id}"]`);
    await item.locator('[data-action="edit"]').click();
    const form = item.locator(".schedule-form");
    await form.locator('input[data-field="timeZone"]').fill("Mars/Olympus");
    await form.locator('[data-action="save"]').click();
    await form.locator('.field-error[data-field="timeZone"]').waitFor();
    expect((await rowOf(row.id)).timeZone).toBe("Asia/Tehran");
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe("rtl");
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(artifacts, "scheduled-reports-fa.png"), fullPage: true });
    await form.locator('[data-action="cancel"]').click();
    await form.waitFor({ state: "detached" });
    await page.close();
  }, 90_000);

  it("sends a report's PDF to the chat picked in Send to chat", async () => {
    const page = await app.openAs(7_100_003, "en", LIGHT, "admin");
    await page.setViewportSize({ width: 390, height: 800 });
    await page.click('nav button:has-text("Reports")');
    const section = page.locator('section[data-report="volume"]');
    await section.locator('[data-action="send"]').click();
    const chooser = section.locator('select[data-field="chatId"]');
    await chooser.locator("option", { hasText: "Branch staff chat: North" }).waitFor({ state: "attached" });
    // The staff member's own private chat is offered too.
    expect(await chooser.locator("option").allTextContents()).toContain(
      (await chooser.locator("option").allTextContents()).find((o) => o.endsWith("(private chat)")),
    );
    await chooser.selectOption({ label: "Branch staff chat: North" });
    await section.locator('[data-action="send-confirm"]').click();
    await section.locator('.hint:has-text("Queued")').waitFor();
    const posts = await app.db.db.select().from(notifications).where(eq(notifications.chatId, BRANCH_CHAT));
    expect(posts).toHaveLength(1);
    expect((posts[0].payload as { document: { fileName: string } }).document.fileName).toMatch(
      /^volume-.*\.pdf$/,
    );
    await page.close();
  }, 90_000);
});
