import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages, tickets, type User, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
  type Theme,
} from "../helpers/miniapp-browser.js";

const texts = (lang: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, `../../locales/${lang}/miniapp.json`), "utf8"));

/**
 * Telegram's side of the bridge, as its WebView gives it to a Mini App: every call the
 * SDK makes (web_app_*) is recorded in window.__tg, and a popup is answered with
 * window.__popupAnswer ("act" unless a test says otherwise), as Telegram's popup_closed.
 */
const FAKE_TELEGRAM = `
  window.__tg = [];
  window.TelegramWebviewProxy = {
    postEvent(type, data) {
      window.__tg.push([type, data ? JSON.parse(data) : null]);
      if (type === "web_app_open_popup")
        setTimeout(() => window.dispatchEvent(new MessageEvent("message", {
          data: JSON.stringify({ eventType: "popup_closed", eventData: { button_id: window.__popupAnswer ?? "act" } }),
          source: window,
        })), 10);
    },
  };
`;

type Call = [string, Record<string, unknown> | null];
const calls = (page: Page, type: string) =>
  page.evaluate((ty) => (window as unknown as { __tg: Call[] }).__tg.filter((c) => c[0] === ty), type);
/** The last closing-confirmation and vertical-swipe settings the app gave Telegram. */
async function composingState(page: Page) {
  const closing = (await calls(page, "web_app_setup_closing_behavior")).at(-1)?.[1];
  const swipe = (await calls(page, "web_app_setup_swipe_behavior")).at(-1)?.[1];
  return { confirm: closing?.need_confirmation ?? false, verticalSwipe: swipe?.allow_vertical_swipe ?? true };
}

async function expectNoHorizontalOverflow(page: Page, what: string) {
  for (const width of [320, 390, 430]) {
    await page.setViewportSize({ width, height: 800 });
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(scroll, `${what} overflows at ${width} px`).toBeLessThanOrEqual(client);
  }
  await page.setViewportSize({ width: 390, height: 800 });
}

/**
 * The Mini App's Telegram-native behaviour at 390 px in English and right-to-left Persian,
 * with Telegram's bridge faked: drafts that survive a reload, closing confirmation and
 * vertical swipes while a draft exists, popups before destructive acts, the MainButton,
 * the theme's header colour, editing one's own message, and admin Users' explicit Save.
 */
describe.skipIf(!hasChromium)("the Mini App as a Telegram citizen", () => {
  let app: MiniAppBrowser;
  let requester: User;
  let categoryId = "";

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    [requester] = await app.db.db
      .insert(users)
      .values({ telegramId: 7_100_001, firstName: "Sara", language: "fa" })
      .returning();
    categoryId = (await app.db.db.query.categories.findFirst())!.id;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  /** Opens the app as Telegram would, with the bridge faked from the first script on. */
  async function open(telegramId: number, lang: string, theme: Theme, role: string, startParam?: string) {
    const page = await app.openAs(telegramId, lang, theme, role, startParam);
    await page.addInitScript(FAKE_TELEGRAM);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.reload();
    await page.waitForSelector(".nav");
    return page;
  }

  for (const [lang, theme] of [
    ["en", LIGHT],
    ["fa", DARK],
  ] as const) {
    it(`keeps a reply's draft across a reload, guards closing while it exists, and edits a sent message (${lang})`, async () => {
      const tx = texts(lang);
      const ticket = await createTicket({
        ctx: app.contexts.forUser(requester),
        input: { title: `Printer ${lang}`, categoryId },
      });
      const telegramId = lang === "en" ? 7_200_001 : 7_200_002;
      const page = await open(telegramId, lang, theme, "agent", `t_${ticket.number}`);
      const box = page.locator(".composer textarea");
      await box.waitFor();
      // The header and background follow the theme.
      expect(await calls(page, "web_app_set_header_color")).toContainEqual([
        "web_app_set_header_color",
        { color_key: "bg_color" },
      ]);
      expect(await composingState(page)).toEqual({ confirm: false, verticalSwipe: true });

      await box.fill("Helo, on my way");
      await expect.poll(() => composingState(page)).toEqual({ confirm: true, verticalSwipe: false });
      expect((await calls(page, "web_app_setup_main_button")).at(-1)?.[1]).toMatchObject({
        is_visible: true,
      });

      // Closing the app (here: reloading it) keeps the words.
      await page.reload();
      await page.locator(".composer textarea").waitFor();
      expect(await page.locator(".composer textarea").inputValue()).toBe("Helo, on my way");
      await expect.poll(() => composingState(page)).toEqual({ confirm: true, verticalSwipe: false });

      await page.click(".composer .send-button");
      const mine = page.locator(".msg.staff:not(.pending)", { hasText: "Helo, on my way" });
      await mine.waitFor({ timeout: 15_000 });
      await expect.poll(() => composingState(page)).toEqual({ confirm: false, verticalSwipe: true });
      expect(await page.locator(".composer textarea").inputValue()).toBe("");
      await page.reload();
      await page.locator(".composer textarea").waitFor();
      expect(await page.locator(".composer textarea").inputValue()).toBe("");

      // Edit: the own message offers it, the thread marks it edited, the server keeps the new words.
      const sent = page.locator(".msg.staff", { hasText: "Helo, on my way" });
      expect(await page.locator(".msg.requester .edit-message").count()).toBe(0);
      await sent
        .locator(`button.edit-message:has-text("${tx.chat.edit_message}")`)
        .click({ timeout: 15_000 });
      // The editor takes the message's place (its words are now the box's value).
      const editor = page.locator(".msg.staff .message-editor");
      await editor.locator("textarea").fill("Hello, on my way");
      await editor.locator(`button:has-text("${tx.chat.edit_save}")`).click();
      const edited = page.locator(".msg.staff", { hasText: "Hello, on my way" });
      await edited.locator(".edited").waitFor({ timeout: 15_000 });
      expect(await edited.locator(".edited").textContent()).toContain(tx.chat.edited);
      const stored = await app.db.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
      expect(stored.map((m) => [m.body, m.editedAt !== null])).toEqual([["Hello, on my way", true]]);
      await expectNoHorizontalOverflow(page, `ticket (${lang})`);
      await page.screenshot({ path: join(artifacts, `native-edited-${lang}.png`), fullPage: true });

      // Closing the ticket asks in Telegram's popup first; Cancel leaves it as it was.
      await page.click(".ticket-summary");
      await page.evaluate(() => {
        (window as unknown as { __popupAnswer: string }).__popupAnswer = "cancel";
      });
      await page.selectOption(`#ticket-sheet select[aria-label="${tx.ticket.status}"]`, "closed");
      await expect.poll(async () => (await calls(page, "web_app_open_popup")).length).toBe(1);
      const popupCall = (await calls(page, "web_app_open_popup"))[0][1] as { buttons: { type: string }[] };
      expect(popupCall.buttons.map((b) => b.type)).toEqual(["destructive", "cancel"]);
      // The answer came back as Cancel: nothing was sent, the ticket stays open.
      await page.waitForTimeout(150);
      const [kept] = await app.db.db.select().from(tickets).where(eq(tickets.id, ticket.id));
      expect(kept.status).toBe("open");
      await page.close();
    }, 90_000);

    it(`keeps a new ticket's draft across a reload and shows the MainButton's progress (${lang})`, async () => {
      const tx = texts(lang);
      const page = await open(lang === "en" ? 7_300_001 : 7_300_002, lang, theme, "agent");
      await page.click(`button:has-text("${tx.queue.new}")`);
      await page.locator(".new-ticket").waitFor();
      await page.fill(`.new-ticket input[aria-label="${tx.new.title}"]`, "Projector");
      await expect.poll(() => composingState(page)).toEqual({ confirm: true, verticalSwipe: false });
      await page.reload();
      await page.waitForSelector(".nav");
      await page.click(`button:has-text("${tx.queue.new}")`);
      expect(await page.locator(`.new-ticket input[aria-label="${tx.new.title}"]`).inputValue()).toBe(
        "Projector",
      );
      await expectNoHorizontalOverflow(page, `new ticket (${lang})`);
      await page.click(`.new-ticket button:has-text("${tx.new.create}")`);
      await page.locator(".ticket-screen").waitFor();
      const main = (await calls(page, "web_app_setup_main_button")).map((c) => c[1]);
      expect(main.some((p) => p?.is_progress_visible === true)).toBe(true);
      await expect.poll(() => composingState(page)).toEqual({ confirm: false, verticalSwipe: true });
      await page.close();
    });
  }

  it("asks before deactivating a person, and saves Users' changes only on Save (fa)", async () => {
    const tx = texts("fa");
    const [person] = await app.db.db
      .insert(users)
      .values({ telegramId: 7_400_009, firstName: "مریم", role: "agent", language: "fa" })
      .returning();
    const page = await open(7_400_001, "fa", DARK, "admin");
    await page.click(`.nav button:has-text("${tx.nav.admin}")`);
    const row = page.locator('.admin-row[data-telegram-id="7400009"]');
    await row.waitFor();
    await page.evaluate(() => {
      (window as unknown as { __popupAnswer: string }).__popupAnswer = "cancel";
    });
    await row.locator(`button:has-text("${tx.admin.deactivate}")`).click();
    await expect.poll(async () => (await calls(page, "web_app_open_popup")).length).toBe(1);
    const asked = (await calls(page, "web_app_open_popup"))[0][1] as { message: string };
    expect(asked.message).toContain("مریم");
    await page.waitForTimeout(100);
    const byId = async () => (await app.db.db.select().from(users).where(eq(users.id, person.id)))[0];
    expect((await byId()).isActive).toBe(true);
    await page.evaluate(() => {
      (window as unknown as { __popupAnswer: string }).__popupAnswer = "act";
    });
    await row.locator(`button:has-text("${tx.admin.deactivate}")`).click();
    await page.waitForSelector('.admin-row.inactive[data-telegram-id="7400009"]');
    expect((await byId()).isActive).toBe(false);

    // A role picked is not stored until Save; Save sends it.
    await row.locator(`select[aria-label="${tx.admin.role}"]`).selectOption("moderator");
    await row.locator(".save-row").waitFor();
    expect((await byId()).role).toBe("agent");
    await row.locator(`.save-row button:has-text("${tx.admin.save}")`).click();
    await row.locator(".save-row").waitFor({ state: "detached" });
    expect((await byId()).role).toBe("moderator");
    await expectNoHorizontalOverflow(page, "admin users (fa)");
    await page.screenshot({ path: join(artifacts, "native-admin-users-fa-dark.png"), fullPage: true });

    await page.click(`.nav button:has-text("${tx.nav.settings}")`);
    await page.waitForTimeout(300);
    await expectNoHorizontalOverflow(page, "settings (fa)");
    await page.close();
  });

  it("has Settings fit a 320–430 px phone (en)", async () => {
    const tx = texts("en");
    const page = await open(7_500_001, "en", LIGHT, "agent");
    await page.click(`.nav button:has-text("${tx.nav.settings}")`);
    await page.waitForTimeout(300);
    await expectNoHorizontalOverflow(page, "settings (en)");
    await page.screenshot({ path: join(artifacts, "native-settings-en.png"), fullPage: true });
    await page.close();
  });
});
