import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assignmentPolicies,
  branches,
  categories,
  labels,
  settings,
  users,
} from "../../drizzle/schema/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

const texts = (lang: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, `../../locales/${lang}/miniapp.json`), "utf8"));

async function expectNoOverflow(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${what} overflows`).toBeLessThanOrEqual(client);
}

/**
 * The admin area in Chromium: registering a person, switching accounts off and on,
 * skills, renaming catalog entries, a branch's staff chat, and the settings form
 * with the server's 422 worded next to the field, in English and in Persian.
 */
describe.skipIf(!hasChromium)("the Mini App's admin screens in Chromium", () => {
  let app: MiniAppBrowser;
  let north = "";

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    const [b] = await app.db.db
      .insert(branches)
      .values({ code: "north", name: { fa: "شمال", en: "North", ru: "Север" } })
      .returning();
    north = b.id;
    await app.db.db.insert(labels).values({ name: "Hardware", color: "#E53935" });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  const userByTg = async (telegramId: number) =>
    (await app.db.db.select().from(users).where(eq(users.telegramId, telegramId)))[0];
  const section = (page: Page, name: string) => page.click(`.subnav button:has-text("${name}")`);

  it("adds a person, switches them off and on, and sets their categories (en)", async () => {
    const page = await app.openAs(3_000_001, "en", LIGHT, "admin");
    await page.click('.nav button:has-text("Admin")');
    await page.click('button:has-text("Add a person")');
    const form = page.locator(".add-person");
    // Not a number: the server's 422 is worded next to the Telegram id.
    await form.locator('input[name="telegramId"]').fill("abc");
    await form.locator('input[name="firstName"]').fill("Parisa");
    await form.locator('button:has-text("Add")').click();
    await page.waitForSelector('.field-error[data-field="telegramId"]');
    expect(await page.textContent('.field-error[data-field="telegramId"]')).toBe("Not a valid value.");
    await form.locator('input[name="telegramId"]').fill("3100001");
    await form.locator('input[name="lastName"]').fill("Ahmadi");
    await form.locator('input[name="username"]').fill("@parisa_a");
    await form.locator('select[aria-label="Role of the new person"]').selectOption("agent");
    await form.locator('select[aria-label="Branch of the new person"]').selectOption({ label: "North" });
    await form.locator('select[aria-label="Language of the new person"]').selectOption("ru");
    await form.locator('button:has-text("Add")').click();
    await page.waitForSelector('.admin-row[data-telegram-id="3100001"]');
    expect(await page.locator(".field-error").count()).toBe(0);
    expect(await userByTg(3_100_001)).toMatchObject({
      firstName: "Parisa",
      lastName: "Ahmadi",
      username: "parisa_a",
      role: "agent",
      branchId: north,
      language: "ru",
      isActive: true,
    });
    // The same Telegram id again: said next to the field, nothing changes.
    await form.locator('input[name="telegramId"]').fill("3100001");
    await form.locator('input[name="firstName"]').fill("Someone else");
    await form.locator('button:has-text("Add")').click();
    await page.waitForSelector('.field-error[data-field="telegramId"]');
    expect(await page.textContent('.field-error[data-field="telegramId"]')).toContain("already registered");
    expect((await userByTg(3_100_001)).firstName).toBe("Parisa");
    // The field says why; no "someone else changed this" banner on top of it.
    expect(await form.locator('.error[role="alert"]').count()).toBe(0);

    const row = page.locator('.admin-row[data-telegram-id="3100001"]');
    // Outside Telegram the confirmation is the browser's own dialog.
    page.once("dialog", (d) => void d.accept());
    await row.locator('button:has-text("Deactivate")').click();
    await page.waitForSelector('.admin-row.inactive[data-telegram-id="3100001"] .badge-inactive');
    expect((await userByTg(3_100_001)).isActive).toBe(false);
    await page.screenshot({ path: join(artifacts, "admin-users-en-light.png"), fullPage: true });
    await row.locator('button:has-text("Activate")').click();
    await page.waitForSelector('.admin-row[data-telegram-id="3100001"]:not(.inactive)');
    expect((await userByTg(3_100_001)).isActive).toBe(true);

    await row.locator('button:has-text("Categories")').click();
    await row.locator('.chip:has-text("Software")').click();
    await row.locator('.chip.on:has-text("Software")').waitFor();
    await row.locator('.chip:has-text("Equipment")').click();
    await row.locator('.chip.on:has-text("Equipment")').waitFor();
    await row.locator('.chip.on:has-text("Software")').click();
    await row.locator('.chip:not(.on):has-text("Software")').waitFor();
    // Nothing is stored before the explicit Save.
    expect((await userByTg(3_100_001)).skills).toEqual([]);
    await row.locator('.save-row button:has-text("Save")').click();
    await row.locator(".save-row").waitFor({ state: "detached" });
    const [equipment] = await app.db.db.select().from(categories).where(eq(categories.code, "equipment"));
    expect((await userByTg(3_100_001)).skills).toEqual([equipment.id]);
    expect(await row.locator(".row-sub").textContent()).toContain("Equipment");
    await page.close();
  });

  it("renames a category, sets a branch's staff chat, and words a bad setting (en)", async () => {
    const page = await app.openAs(3_000_002, "en", LIGHT, "admin");
    await page.click('.nav button:has-text("Admin")');
    await section(page, "Categories");
    const other = page.locator(".admin-row", { hasText: "Other" });
    await other.locator('button:has-text("Edit")').click();
    await other.locator('input[name="name.en"]').fill("Miscellaneous");
    await other.locator('input[name="emoji"]').fill("🧩");
    await other.locator('input[name="color"]').fill("blue");
    await other.locator('button:has-text("Save")').click();
    await page.waitForSelector('.field-error[data-field="color"]');
    expect(await page.textContent('.field-error[data-field="color"]')).toBe("Not in the expected form.");
    await other.locator('input[name="color"]').fill("#123456");
    await other.locator('button:has-text("Save")').click();
    await page.waitForSelector('.admin-row:has-text("🧩 Miscellaneous")');
    const [misc] = await app.db.db.select().from(categories).where(eq(categories.code, "other"));
    expect(misc).toMatchObject({ emoji: "🧩", color: "#123456" });
    expect(misc.name).toMatchObject({ fa: "سایر", en: "Miscellaneous" });
    // The rest of the app draws the new name at once, without reopening it.
    await page.click('.nav button:has-text("Queue")');
    await page.click('button:has-text("More filters")');
    await page.waitForSelector('select[aria-label="Category"] option:has-text("Miscellaneous")', {
      state: "attached",
    });
    await page.click('.nav button:has-text("Admin")');

    await section(page, "Branches");
    const branch = page.locator(".admin-row", { hasText: "North" });
    await branch.locator('button:has-text("Edit")').click();
    await branch.locator('input[name="staffChatId"]').fill("-1009876543210");
    await branch.locator('button:has-text("Save")').click();
    await page.waitForSelector('.admin-row:has-text("-1009876543210")');
    const [saved] = await app.db.db.select().from(branches).where(eq(branches.id, north));
    expect(saved.staffChatId).toBe(-1009876543210);

    await section(page, "Settings");
    await page.waitForSelector('input[name="auto_close_hours"]');
    expect(await page.inputValue('input[name="auto_close_hours"]')).toBe("72");
    await page.fill('input[name="auto_close_hours"]', "-1");
    await page.click('.admin-settings button:has-text("Save")');
    await page.waitForSelector('.field-error[data-field="auto_close_hours"]');
    expect(await page.textContent('.field-error[data-field="auto_close_hours"]')).toBe("Must be at least 0.");
    expect(await page.textContent('.admin-settings [role="alert"].error')).toContain("not valid");
    await page.screenshot({ path: join(artifacts, "admin-settings-error-en-light.png"), fullPage: true });
    expect(await app.db.db.select().from(settings).where(eq(settings.key, "auto_close_hours"))).toEqual([]);
    await page.fill('input[name="auto_close_hours"]', "48");
    await page.click('.admin-settings button:has-text("Save")');
    await page.waitForSelector('.admin-settings .hint:has-text("Saved")');
    expect(await page.locator(".field-error").count()).toBe(0);
    const stored = Object.fromEntries(
      (await app.db.db.select().from(settings)).map((s) => [s.key, s.value as unknown]),
    );
    expect(stored.auto_close_hours).toBe(48);
    // Untouched settings keep following their defaults: nothing stored for them.
    expect(Object.keys(stored).sort()).toEqual(["auto_close_hours"]);
    await page.close();
  });

  it("works right to left in Persian: a bad auto-close period and a bad username worded in Persian, a label renamed (fa, dark)", async () => {
    const page = await app.openAs(3_000_003, "fa", DARK, "admin");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.click('.nav button:has-text("مدیریت")');
    await section(page, "تنظیمات");
    await page.waitForSelector('input[name="auto_close_hours"]');
    await page.fill('input[name="auto_close_hours"]', "-1");
    await page.click('.admin-settings button:has-text("ذخیره")');
    await page.waitForSelector('.field-error[data-field="auto_close_hours"]');
    expect(await page.textContent('.field-error[data-field="auto_close_hours"]')).toBe("باید دست‌کم ۰ باشد.");
    await page.screenshot({ path: join(artifacts, "admin-settings-error-fa-dark.png"), fullPage: true });

    await section(page, "برچسب‌ها");
    const hardware = page.locator(".admin-row", { hasText: "Hardware" });
    await hardware.locator('button:has-text("ویرایش")').click();
    await hardware.locator('input[name="name"]').fill("سخت‌افزار");
    await hardware.locator('button:has-text("ذخیره")').click();
    await page.waitForSelector('.admin-row:has-text("سخت‌افزار")');
    const [label] = await app.db.db.select().from(labels);
    expect(label).toMatchObject({ name: "سخت‌افزار", color: "#E53935" });

    await section(page, "کاربران");
    await page.click('button:has-text("افزودن فرد")');
    const form = page.locator(".add-person");
    await form.locator('input[name="telegramId"]').fill("3100002");
    await form.locator('input[name="firstName"]').fill("مریم");
    await form.locator('input[name="username"]').fill("no spaces please");
    await form.locator('button:has-text("افزودن")').last().click();
    await page.waitForSelector('.field-error[data-field="username"]');
    expect(await page.textContent('.field-error[data-field="username"]')).toBe("قالبش درست نیست.");
    await page.screenshot({ path: join(artifacts, "admin-add-person-fa-dark.png"), fullPage: true });
    expect(await userByTg(3_100_002)).toBeUndefined();
    await page.close();
  });

  it("lets a moderator add an agent, who lands in the moderator's branch (en)", async () => {
    const page = await app.openAs(3_000_004, "en", LIGHT, "moderator");
    await app.db.db.update(users).set({ branchId: north }).where(eq(users.telegramId, 3_000_004));
    await page.reload();
    await page.click('.nav button:has-text("Admin")');
    await page.click('button:has-text("Add a person")');
    const form = page.locator(".add-person");
    // Moderators hand out requester and agent only, and pick no branch.
    expect(
      await form.locator('select[aria-label="Role of the new person"] option').allTextContents(),
    ).toEqual(["Requester", "Agent"]);
    expect(await form.locator('select[aria-label="Branch of the new person"]').count()).toBe(0);
    await form.locator('input[name="telegramId"]').fill("3100003");
    await form.locator('input[name="firstName"]').fill("Omid");
    await form.locator('select[aria-label="Role of the new person"]').selectOption("agent");
    await form.locator('button:has-text("Add")').click();
    await page.waitForSelector('.admin-row[data-telegram-id="3100003"]');
    expect(await userByTg(3_100_003)).toMatchObject({ role: "agent", branchId: north });
    await page.close();
  });
  for (const [lang, theme] of [
    ["en", LIGHT],
    ["fa", DARK],
  ] as const) {
    it(`edits a category's description, order and colour (a swatch), checked before sending (${lang}, 390 px)`, async () => {
      const tx = texts(lang);
      const page = await app.openAs(lang === "en" ? 3_000_005 : 3_000_006, lang, theme, "admin");
      await page.setViewportSize({ width: 390, height: 800 });
      await page.click(`.nav button:has-text("${tx.nav.admin}")`);
      await section(page, tx.admin.categories);
      const code = lang === "en" ? "network" : "software";
      const row = page.locator(`.admin-row[data-catalog="${code}"]`);
      await row.locator(`button:has-text("${tx.admin.edit}")`).click();
      const patches: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "PATCH" && r.url().includes("/api/categories/")) patches.push(r.url());
      });
      // A negative place: said next to the field by the app itself, nothing is sent.
      await row.locator('input[name="sortOrder"]').fill("-3");
      await row.locator(`button:has-text("${tx.admin.save}")`).click();
      await page.waitForSelector('.field-error[data-field="sortOrder"]');
      expect(await page.textContent('.field-error[data-field="sortOrder"]')).toBe(
        tx.field_error.too_small_n.replace("{{limit}}", lang === "fa" ? "۰" : "0"),
      );
      expect(patches).toEqual([]);
      // The palette offers the current colour too; a tap picks another.
      const swatches = row.locator(".colour-swatch");
      expect(await swatches.count()).toBeGreaterThanOrEqual(8);
      expect(await row.locator(".colour-swatch.on").count()).toBe(1);
      await row.locator(`.colour-swatch[title="#8E24AA"]`).click();
      expect(await row.locator('input[name="color"]').inputValue()).toBe("#8E24AA");
      expect(await row.locator('.colour-swatch.on[title="#8E24AA"]').count()).toBe(1);
      const words = lang === "en" ? "Wi-Fi, cables and the VPN" : "وای‌فای، کابل و وی‌پی‌ان";
      await row.locator(`input[name="description.${lang}"]`).fill(words);
      // Below every other category (the seeded ones are 10 to 40; the English run left one at 1).
      const place = lang === "en" ? 1 : 0;
      await row.locator('input[name="sortOrder"]').fill(String(place));
      await expectNoOverflow(page, `category editor (${lang})`);
      await page.screenshot({ path: join(artifacts, `admin-category-edit-${lang}.png`), fullPage: true });
      await row.locator(`button:has-text("${tx.admin.save}")`).click();
      await row.locator(".catalog-editor").waitFor({ state: "detached" });
      const [saved] = await app.db.db.select().from(categories).where(eq(categories.code, code));
      expect(saved).toMatchObject({ color: "#8E24AA", sortOrder: place });
      expect(saved.description).toMatchObject({ [lang]: words });
      // The list shows it first now, with its description and its colour.
      await expect.poll(() => page.locator(".admin-row").first().getAttribute("data-catalog")).toBe(code);
      expect(await row.locator("[data-description]").textContent()).toBe(words);
      expect(await row.locator(".swatch-dot").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
        "rgb(142, 36, 170)",
      );
      // New ticket offers categories in the same order.
      await page.click(`.nav button:has-text("${tx.nav.queue}")`);
      await page.click(`button:has-text("${tx.queue.new}")`);
      const first = await page
        .locator(`.new-ticket select[aria-label="${tx.ticket.category}"] option`)
        .first();
      expect(await first.getAttribute("value")).toBe(saved.id);
      await page.close();
    }, 90_000);
  }
  for (const [lang, theme] of [
    ["en", LIGHT],
    ["fa", DARK],
  ] as const) {
    it(`sets an auto-assignment policy only on Save, with a bad capacity said next to it (${lang}, 390 px)`, async () => {
      const tx = texts(lang);
      const page = await app.openAs(lang === "en" ? 3_000_007 : 3_000_008, lang, theme, "admin");
      await page.setViewportSize({ width: 390, height: 800 });
      await page.click(`.nav button:has-text("${tx.nav.admin}")`);
      await section(page, tx.assignment.section);
      const branchId = lang === "en" ? north : null;
      const adding = page.locator(".policy-editor").last();
      if (branchId)
        await adding.locator(`select[aria-label="${tx.assignment.branch}"]`).selectOption(branchId);
      await adding.locator(`select[aria-label="${tx.assignment.strategy}"]`).selectOption("round_robin");
      await adding.locator('input[name="capacity"]').fill("0");
      await adding.locator(`button:has-text("${tx.assignment.save}")`).click();
      await adding.locator('.field-error[data-field="capacity"]').waitFor();
      expect(await adding.locator('.field-error[data-field="capacity"]').textContent()).toBe(
        tx.field_error.too_small_n.replace("{{limit}}", lang === "fa" ? "۱" : "1"),
      );
      const stored = async () =>
        (await app.db.db.select().from(assignmentPolicies)).filter((p) => p.branchId === branchId);
      expect(await stored()).toEqual([]);
      await adding.locator('input[name="capacity"]').fill("5");
      await adding.locator(`button:has-text("${tx.assignment.save}")`).click();
      await expect
        .poll(async () => (await stored()).map((p) => [p.strategy, p.capacity]))
        .toEqual([["round_robin", 5]]);
      const [policy] = await stored();
      const row = page.locator(`.assignment-policy[data-policy="${policy.id}"]`);
      await row.waitFor();
      // A change on the row waits for its Save.
      await row.locator(`select[aria-label="${tx.assignment.strategy}"]`).selectOption("least_busy");
      await page.waitForTimeout(200);
      expect((await stored())[0].strategy).toBe("round_robin");
      await expectNoOverflow(page, `auto-assignment (${lang})`);
      await row.locator(`.save-row button:has-text("${tx.assignment.save}")`).click();
      await expect.poll(async () => (await stored())[0].strategy).toBe("least_busy");
      await row.locator(".save-row").waitFor({ state: "detached" });
      await page.close();
    }, 90_000);
  }
});
