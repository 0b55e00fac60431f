import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  messages,
  notifications,
  type Ticket,
  tickets,
  type User,
  users,
} from "../../drizzle/schema/index.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

const texts = (lang: string, file = "miniapp") =>
  JSON.parse(readFileSync(join(import.meta.dirname, `../../locales/${lang}/${file}.json`), "utf8"));
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** No screen may scroll sideways at a phone's width. */
async function expectNoHorizontalOverflow(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${what} overflows`).toBeLessThanOrEqual(client);
}

/**
 * The ticket screen as a chat (pages/ticket/), at 390 px in English and right-to-left
 * Persian: the deep link, opening at the latest message, the Reply/Note switch, a
 * double tap on Send, send and resolve, a picture's preview and viewer, a failed load
 * with Retry, and no sideways scrolling.
 */
describe.skipIf(!hasChromium)("the ticket as a chat in Chromium", () => {
  let app: MiniAppBrowser;
  let requester: User;
  let categoryId = "";

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    [requester] = await app.db.db
      .insert(users)
      .values({ telegramId: 5_100_001, firstName: "سارا", language: "fa" })
      .returning();
    categoryId = (await app.db.db.query.categories.findFirst())!.id;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  /** A ticket with a long conversation whose last message is `last`, and a picture in it. */
  async function longTicket(title: string, last: string): Promise<Ticket> {
    const ctx = app.contexts.forUser(requester);
    const ticket = await createTicket({ ctx, input: { title, categoryId, description: "شرح مشکل" } });
    const key = await app.files.put(`${ticket.id}/shot`, PNG);
    await addTicketMessage({
      ctx,
      input: {
        ticketId: ticket.id,
        body: "عکس صفحه",
        attachments: [
          {
            kind: "photo",
            fileName: "shot.png",
            mimeType: "image/png",
            sizeBytes: PNG.length,
            storagePath: key,
          },
        ],
      },
    });
    for (let i = 1; i <= 25; i++)
      await addTicketMessage({ ctx, input: { ticketId: ticket.id, body: `پیام شماره ${i} درباره‌ی VPN` } });
    await addTicketMessage({ ctx, input: { ticketId: ticket.id, body: last } });
    return ticket;
  }

  const bodies = async (ticketId: string) =>
    (await app.db.db.select().from(messages).where(eq(messages.ticketId, ticketId))).map((m) => m.body);

  it.each([
    ["en", LIGHT, 5_200_001],
    ["fa", DARK, 5_200_002],
  ] as const)(
    "works a ticket from a deep link as a chat (%s, 390 px)",
    async (lang, theme, telegramId) => {
      const L = texts(lang);
      const ticket = await longTicket(`Printer ${lang} پرینتر`, `Last words ${lang}`);
      const page = await app.openAs(telegramId, lang, theme, "agent", `t_${ticket.number}`);
      await page.setViewportSize({ width: 390, height: 760 });

      // The deep link opens that ticket, at its latest message, the composer below it.
      await page.waitForSelector(`.msg:has-text("Last words ${lang}")`);
      expect(await page.locator(".ticket-title").textContent()).toBe(ticket.title);
      expect(await page.locator(".ticket-title").getAttribute("dir")).toBe("auto");
      const last = await page.locator(`.msg:has-text("Last words ${lang}")`).boundingBox();
      const composer = await page.locator(".composer").boundingBox();
      expect(last && composer).toBeTruthy();
      expect(last!.y).toBeGreaterThanOrEqual(0);
      expect(last!.y + last!.height).toBeLessThanOrEqual(composer!.y + 1);
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      await expectNoHorizontalOverflow(page, "ticket");
      await page.screenshot({ path: join(artifacts, `chat-${lang}.png`) });

      // A picture shows in place; a tap opens it whole in the viewer, which closes again.
      const thumb = page.locator(".attachment img[alt='shot.png']");
      await thumb.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        () =>
          (document.querySelector(".attachment img[alt='shot.png']") as HTMLImageElement | null)
            ?.naturalWidth === 1,
      );
      await thumb.click();
      await page.locator(".viewer img.viewer-image").waitFor();
      await expectNoHorizontalOverflow(page, "viewer");
      await page.click(`.viewer button:has-text("${L.chat.close}")`);
      expect(await page.locator(".viewer").count()).toBe(0);

      // A note: the switch says Note, the composer turns note-coloured with its warning, and
      // what is sent is internal and queues nothing for the requester.
      const forRequester = async () =>
        (await app.db.db.select().from(notifications).where(eq(notifications.recipientId, requester.id)))
          .length;
      const before = await forRequester();
      await page.click(`.mode-switch [role="radio"]:has-text("${L.chat.mode_note}")`);
      expect(await page.locator(".composer.composer-note .note-warning").textContent()).toBe(
        L.chat.note_warning,
      );
      expect(await page.locator(".send-resolve").count()).toBe(0);
      await page.fill(".composer textarea", `Vendor contract ${lang}`);
      await page.click(".send-button");
      await page.waitForSelector(`.msg.internal:not(.pending):has-text("Vendor contract ${lang}") .badge`);
      const [note] = await app.db.db
        .select()
        .from(messages)
        .where(and(eq(messages.ticketId, ticket.id), eq(messages.body, `Vendor contract ${lang}`)));
      expect(note.isInternal).toBe(true);
      expect(await forRequester()).toBe(before);
      // The mode stays until changed back: the next send is a note again, so switch to Reply.
      await page.click(`.mode-switch [role="radio"]:has-text("${L.chat.mode_reply}")`);
      expect(await page.locator(".composer-note").count()).toBe(0);

      // A double tap on Send posts the reply once, and the reply reaches the requester.
      await page.fill(".composer textarea", `Once only ${lang}`);
      await page.evaluate(() => {
        const send = document.querySelector(".send-button") as HTMLButtonElement;
        send.click();
        send.click();
      });
      await page.waitForSelector(`.msg.staff:not(.pending):has-text("Once only ${lang}")`);
      await expect
        .poll(async () => (await bodies(ticket.id)).filter((b) => b === `Once only ${lang}`).length)
        .toBe(1);
      await expect.poll(forRequester).toBeGreaterThan(before);

      // Send and resolve: the reply goes, and the ticket is resolved, in one tap.
      await page.fill(".composer textarea", `Fixed it ${lang}`);
      await page.click(".send-resolve");
      await expect
        .poll(async () => (await app.db.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0].status)
        .toBe("resolved");
      expect(await bodies(ticket.id)).toContain(`Fixed it ${lang}`);
      // The header follows live: its status chip now reads "resolved" in the reader's language.
      await page.waitForSelector(
        `.ticket-facts .chip-status:has-text("${texts(lang, "common").status.resolved}")`,
      );

      // The sheet with every control opens from the header, without sideways scrolling.
      await page.click(".ticket-summary");
      await page.waitForSelector("#ticket-sheet:not([hidden])");
      await expectNoHorizontalOverflow(page, "ticket sheet");

      // The queue, also at 390 px.
      await page.click(`.nav button:has-text("${L.nav.queue}")`);
      await page.click(`button[role="tab"]:has-text("${L.tabs.all}")`);
      await page.waitForSelector(`[data-ticket="${ticket.number}"]`);
      await expectNoHorizontalOverflow(page, "queue");
      // The other screens moved to the typed client: the dashboard and settings.
      await page.click(`.nav button:has-text("${L.nav.dashboard}")`);
      await page.waitForSelector(".bars");
      await expectNoHorizontalOverflow(page, "dashboard");
      await page.click(`.nav button:has-text("${L.nav.settings}")`);
      await page.waitForSelector("[data-away]");
      await expectNoHorizontalOverflow(page, "settings");
      await page.close();
    },
    180_000,
  );

  it.each([
    ["en", LIGHT, 5_300_001],
    ["fa", DARK, 5_300_002],
  ] as const)(
    "shows a failed load in words with Retry, never the server's raw text (%s)",
    async (lang, theme, telegramId) => {
      const L = texts(lang);
      const ticket = await createTicket({
        ctx: app.contexts.forUser(requester),
        input: { title: `Broken ${lang}`, categoryId },
      });
      const page = await app.openAs(telegramId, lang, theme, "agent");
      await page.setViewportSize({ width: 390, height: 760 });
      // The thread's answers fail until the test lets them through.
      let failing = true;
      await page.route("**/api/tickets/*/messages", (route) =>
        failing && route.request().method() === "GET"
          ? route.fulfill({ status: 500, contentType: "text/plain", body: "Internal Server Error" })
          : route.fallback(),
      );
      await page.click(`[data-ticket="${ticket.number}"]`);
      const alert = page.locator(".state-error[role='alert']");
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.textContent()).toContain(L.error.generic);
      expect(await alert.textContent()).not.toContain("Internal Server Error");
      await expectNoHorizontalOverflow(page, "error state");
      failing = false;
      await alert.locator(`button:has-text("${L.retry}")`).click();
      await page.waitForSelector(".thread");
      expect(await page.locator(".state-error").count()).toBe(0);
      await page.close();
    },
    120_000,
  );
});
