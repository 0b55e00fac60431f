import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, businessCalendars, scheduledJobs, slaPolicies } from "../../drizzle/schema/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/**
 * Admin → SLA in Chromium: a policy with its targets, and the default calendar from
 * the Iran preset with a holiday typed as a Jalali date (Persian, right to left),
 * then a bad zone refused field by field in English.
 */
describe.skipIf(!hasChromium)("the Mini App's SLA screen in Chromium", () => {
  let app: MiniAppBrowser;

  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it("creates a policy and an Iran-week calendar with a Jalali holiday (fa, dark)", async () => {
    const page = await app.openAs(3_200_001, "fa", DARK, "admin");
    await page.click('.nav button:has-text("مدیریت")');
    await page.click('.subnav button:has-text("SLA")');
    // The four policies the migration seeded from the old setting.
    await page.waitForSelector(".sla-policy");
    expect(await page.locator(".sla-policy").count()).toBe(4);

    await page.click('button:has-text("افزودن سیاست")');
    const form = page.locator(".sla-policy-form");
    await form.locator('input[name="name"]').fill("شبکه فوری");
    await form.locator('select[name="priority"]').selectOption("critical");
    await form.locator('select[name="categoryId"]').selectOption({ index: 1 });
    await form.locator('input[name="firstResponseMinutes"]').fill("90");
    await form.locator('.hint:has-text("ساعت")').first().waitFor();
    await form.locator('input[name="resolutionMinutes"]').fill("480");
    await form.locator('input[name="warnMinutes"]').fill("100");
    await form.locator('input[name="businessHours"]').check();
    await form.locator('input[name="raisePriority"]').check();
    await form.locator('button:has-text("ذخیره")').click();
    // 100 minutes is not before the 90-minute target: refused beside the field, in Persian.
    await page.waitForSelector('.field-error[data-field="warnMinutes"]');
    expect(await page.textContent('.field-error[data-field="warnMinutes"]')).toContain("۹۰");
    await form.locator('input[name="warnMinutes"]').fill("15");
    await form.locator('button:has-text("ذخیره")').click();
    await page.waitForSelector('.sla-policy:has-text("شبکه فوری")');
    const [policy] = await app.db.db.select().from(slaPolicies).where(eq(slaPolicies.name, "شبکه فوری"));
    expect(policy).toMatchObject({
      priority: "critical",
      firstResponseMinutes: 90,
      resolutionMinutes: 480,
      nextResponseMinutes: null,
      warnMinutes: 15,
      businessHours: true,
      escalation: { raisePriority: true },
    });
    expect(policy.categoryId).not.toBeNull();

    await page.click('button:has-text("افزودن تقویم")');
    const cal = page.locator(".calendar-form");
    await cal.locator('input[name="name"]').fill("دفتر تهران");
    await cal.locator('button:has-text("هفتهٔ ایران")').click();
    expect(await cal.locator('input[name="timeZone"]').inputValue()).toBe("Asia/Tehran");
    expect(await cal.locator('input[name="week.5"]').inputValue()).toBe(""); // Friday off
    await cal.locator('input[name="newHoliday"]').fill("۱۴۰۵/۰۱/۱۳");
    await cal.locator('button:has-text("افزودن تعطیلی")').click();
    await cal.locator('input[name="newHoliday"]').fill("1405/01/01");
    await cal.locator('button:has-text("افزودن تعطیلی")').click();
    await cal.locator('button:has-text("ذخیره")').click();
    await page.waitForSelector('.calendar:has-text("دفتر تهران")');
    const [row] = await app.db.db.select().from(businessCalendars);
    expect(row).toMatchObject({
      timeZone: "Asia/Tehran",
      branchId: null,
      holidays: ["2026-03-21", "2026-04-02"],
      week: { "4": [["08:00", "12:00"]], "6": [["08:00", "16:00"]] },
    });
    expect(row.week["5"]).toBeUndefined();

    // Opened again, the holidays read as Jalali dates; one is removed.
    await page.click('.calendar button:has-text("ویرایش")');
    const edit = page.locator(".calendar-form");
    await edit.locator('.holidays li[data-holiday="2026-03-21"]:has-text("فروردین")').waitFor();
    await page.screenshot({ path: join(artifacts, "admin-sla-fa-dark.png"), fullPage: true });
    await edit.locator('.holidays li[data-holiday="2026-03-21"] button').click();
    await edit.locator('button:has-text("ذخیره")').click();
    await page.waitForSelector(".calendar-form", { state: "detached" });
    const [after] = await app.db.db.select().from(businessCalendars);
    expect(after.holidays).toEqual(["2026-04-02"]);

    const audit = await app.db.db.select().from(auditLog).where(eq(auditLog.entityId, row.id));
    expect(audit.map((a) => a.action)).toEqual(["business_calendar.create", "business_calendar.update"]);
    expect(
      await app.db.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, "sla_recalc")),
    ).toHaveLength(1);
    await page.close();
  });

  it("words a bad zone and a bad interval beside their fields (en)", async () => {
    const page = await app.openAs(3_200_002, "en", LIGHT, "admin");
    await page.click('.nav button:has-text("Admin")');
    await page.click('.subnav button:has-text("SLA")');
    await page.click('button:has-text("Add a calendar")');
    const cal = page.locator(".calendar-form");
    await cal.locator('select[name="branchId"]').selectOption({ index: 0 });
    await cal.locator('input[name="name"]').fill("Second default");
    await cal.locator('button:has-text("Mon–Fri")').click();
    await cal.locator('input[name="timeZone"]').fill("Mars/Olympus");
    await cal.locator('input[name="week.1"]').fill("17:00-09:00");
    await cal.locator('button:has-text("Save")').click();
    await page.waitForSelector('.field-error[data-field="timeZone"]');
    expect(await page.textContent('.field-error[data-field="timeZone"]')).toContain("Unknown time zone");
    expect(await page.textContent('.field-error[data-field="week.1"]')).toBe(
      "The start must be before the end.",
    );
    await page.screenshot({ path: join(artifacts, "admin-sla-calendar-error-en-light.png"), fullPage: true });
    await page.close();
  });
});
