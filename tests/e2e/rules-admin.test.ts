import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { automationRules } from "../../drizzle/schema/index.js";
import { hasChromium, LIGHT, type MiniAppBrowser, startMiniAppBrowser } from "../helpers/miniapp-browser.js";

/**
 * Admin → Rules in Chromium: a rule with a text condition and two actions, a chat id
 * that is no number refused beside its input, then saved and listed.
 */
describe.skipIf(!hasChromium)("the Mini App's automation rules editor in Chromium", () => {
  let app: MiniAppBrowser;

  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it("creates a rule with conditions and actions (en)", async () => {
    const page = await app.openAs(3_300_001, "en", LIGHT, "admin");
    await page.click('.nav button:has-text("Admin")');
    await page.click('.subnav button:has-text("Rules")');
    await page.waitForSelector('p:has-text("No rules yet.")');

    await page.click('button:has-text("Add rule")');
    const form = page.locator(".rule-form");
    await form.locator('input[name="name"]').fill("VPN is urgent");
    await form.locator('select[name="event"]').selectOption("message_created");
    await form.locator('select[name="match"]').selectOption("any");
    await form.locator('button:has-text("Add condition")').click();
    await form.locator('input[name="conditions.0.value"]').fill("vpn");
    await form.locator('button:has-text("Add condition")').click();
    await form.locator('select[name="conditions.1.field"]').selectOption("author");
    await form.locator('select[name="conditions.1.value"]').selectOption("requester");
    await form.locator('select[name="actions.0.value"]').selectOption("critical");
    await form.locator('button:has-text("Add action")').click();
    await form.locator('select[name="actions.1.type"]').selectOption("notify_chat");
    await form.locator('input[name="actions.1.chatId"]').fill("abc");
    await form.locator('input[name="actions.1.text"]').fill("A VPN ticket");
    await form.locator('button:has-text("Save")').click();
    await page.waitForSelector('.field-error[data-field="actions.1.chatId"]');

    await form.locator('input[name="actions.1.chatId"]').fill("-100123");
    await form.locator('button:has-text("Save")').click();
    await page.waitForSelector('.rule:has-text("VPN is urgent")');
    expect(await page.textContent(".rule")).toContain("A message arrives");
    const [rule] = await app.db.db
      .select()
      .from(automationRules)
      .where(eq(automationRules.name, "VPN is urgent"));
    expect(rule).toMatchObject({
      event: "message_created",
      match: "any",
      active: true,
      conditions: [
        { field: "text", op: "contains", value: "vpn" },
        { field: "author", op: "is", value: "requester" },
      ],
      actions: [
        { type: "set_priority", value: "critical" },
        { type: "notify_chat", chatId: -100123, text: "A VPN ticket" },
      ],
    });
  });
});
