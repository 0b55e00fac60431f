import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ticketEvents, tickets, type User, users } from "../../drizzle/schema/index.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
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
const en = texts("en");
const fa = texts("fa");

async function expectNoHorizontalOverflow(page: Page, what: string) {
  const { scroll, client, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // What sticks out, to name in the failure (the innermost elements past either edge).
    const out = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
      })
      .slice(-3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scroll: document.documentElement.scrollWidth, client: width, culprits: out.join(", ") };
  });
  expect(scroll, `${what} overflows: ${culprits}`).toBeLessThanOrEqual(client);
}

/**
 * The queue at 390 px (pages/queue/), in English and right-to-left Persian: rows that
 * carry what triage needs, the search's words marked in context, infinite scroll, saved
 * views (remembered), select mode with a bulk assign, the requester's own view, and no
 * sideways scrolling at 320 and 430 px in fa, en and ru.
 */
describe.skipIf(!hasChromium)("the queue in Chromium", () => {
  let app: MiniAppBrowser;
  let requester: User;
  let reza: User;
  let emoji = "";
  const FILLERS = 26;

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    const db = app.db.db;
    [requester] = await db
      .insert(users)
      .values({ telegramId: 5_300_001, firstName: "Sara", lastName: "Karimi", language: "en" })
      .returning();
    [reza] = await db
      .insert(users)
      .values({ telegramId: 5_300_002, firstName: "Reza", lastName: "Ahmadi", role: "agent", language: "fa" })
      .returning();
    const category = (await db.query.categories.findFirst())!;
    emoji = category.emoji ?? "";
    expect(emoji).not.toBe("");
    const ctx = app.contexts.forUser(requester);
    const open = (title: string, priority: "low" | "normal" | "high" | "critical" = "normal") =>
      createTicket({ ctx, input: { title, categoryId: category.id, priority, description: "—" } });
    // Older fillers first, so the tickets the tests look at are on the first page.
    for (let i = 1; i <= FILLERS; i++) await open(`Filler ${i}`, "low");
    const keyboard = await open("Keyboard in room 4");
    await addTicketMessage({
      ctx,
      input: { ticketId: keyboard.id, body: "از دیروز کیبورد کلاس چهار کار نمی‌کند" },
    });
    const vpn = await open("VPN drops every hour", "critical");
    await addTicketMessage({ ctx, input: { ticketId: vpn.id, body: "It dropped again during the lesson" } });
    await db.update(tickets).set({ assigneeId: reza.id, slaState: "at_risk" }).where(eq(tickets.id, vpn.id));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  const rowOf = (page: Page, title: string) =>
    page.locator(".queue-row", { has: page.locator(".row-title", { hasText: new RegExp(`^${title}$`) }) });

  it("shows requester, number, emoji, priority, assignee, status, SLA, waiting, unread and the last message (en)", async () => {
    const page = await app.openAs(5_300_101, "en", LIGHT, "moderator");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click(`[data-view="all"]`);
    const vpn = rowOf(page, "VPN drops every hour");
    await vpn.waitFor();
    expect(await vpn.getAttribute("class")).toContain("prio-critical");
    expect(await vpn.locator(".row-emoji").textContent()).toBe(emoji);
    expect(await vpn.locator(".requester").textContent()).toBe("Sara Karimi");
    expect(await vpn.locator(".assignee").textContent()).toBe("Reza Ahmadi");
    expect(await vpn.locator(".row-sub").textContent()).toMatch(/T-\d{8}-\d{4} · Open · Critical/);
    expect(await vpn.locator(".row-snippet").textContent()).toBe("It dropped again during the lesson");
    expect(await vpn.locator(".unread").textContent()).toBe("1");
    expect(await vpn.locator(".waiting").textContent()).toMatch(/^⏳ waiting \d+ min$/);
    expect(await vpn.locator(".sla-badge").getAttribute("data-sla")).toBeTruthy();
    // An unassigned ticket says so in words, not an empty space.
    expect(await rowOf(page, "Keyboard in room 4").locator(".assignee").textContent()).toBe(
      en.queue_view.no_assignee,
    );
    await page.screenshot({ path: join(artifacts, "queue-rows-en.png") });
    // A tap opens the ticket.
    await vpn.click();
    await page.waitForSelector(".ticket-screen");
    await page.close();
  });

  it("searches across the thread, Persian-aware, and marks the words found (fa, dark)", async () => {
    const page = await app.openAs(5_300_102, "fa", DARK, "moderator");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    // Typed with Arabic yeh and kaf: the message has Persian ی and ک.
    await page.fill('input[type="search"]', "كيبورد");
    await page.waitForSelector(".row-snippet.match mark");
    expect(await page.locator(".queue-row").count()).toBe(1);
    expect(await page.locator(".row-snippet.match mark").allTextContents()).toEqual(["کیبورد"]);
    expect(await page.locator(".row-snippet.match").textContent()).toContain("کلاس چهار");
    expect(await page.locator(".row-snippet.match").getAttribute("dir")).toBe("auto");
    expect(await page.locator(".queue-row .requester").evaluate((el) => el.tagName)).toBe("BDI");
    await page.screenshot({ path: join(artifacts, "queue-search-fa.png") });
    await page.close();
  });

  it("loads the next page when the end of the list scrolls into view", async () => {
    const page = await app.openAs(5_300_103, "en", LIGHT, "admin");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click(`[data-view="all"]`);
    await page.waitForFunction(() => document.querySelectorAll(".queue-row").length === 20);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction((n) => document.querySelectorAll(".queue-row").length === n, FILLERS + 2);
    expect(await rowOf(page, "Filler 1").count()).toBe(1);
    await page.close();
  });

  it("filters by a saved view and opens there again next time", async () => {
    const page = await app.openAs(5_300_104, "en", LIGHT, "moderator");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.getAttribute('[role="tab"][aria-selected="true"]', "data-view")).toBe("unassigned");
    await page.click(`[data-view="at_risk"]`);
    await page.waitForFunction(() => document.querySelectorAll(".queue-row:not(.inert)").length === 1);
    expect(await page.locator(".row-title").allTextContents()).toEqual(["VPN drops every hour"]);
    await page.reload();
    await page.waitForSelector(".queue-row");
    expect(await page.getAttribute('[role="tab"][aria-selected="true"]', "data-view")).toBe("at_risk");
    expect(await page.locator(".row-title").allTextContents()).toEqual(["VPN drops every hour"]);
    await page.close();
  });

  it("assigns several tickets in one action from select mode (en), each written to history", async () => {
    const page = await app.openAs(5_300_105, "en", LIGHT, "moderator");
    await page.setViewportSize({ width: 390, height: 844 });
    const me = (await app.db.db.query.users.findFirst({ where: eq(users.telegramId, 5_300_105) }))!;
    await page.waitForSelector(".queue-row");
    await page.click(`button:has-text("${en.queue_view.select}")`);
    for (const title of ["Filler 26", "Filler 25"]) await rowOf(page, title).click();
    expect(await page.textContent(".bulk-bar strong")).toBe("2 selected");
    await page.selectOption(`select[aria-label="${en.queue_view.bulk_action}"]`, `assign:${reza.id}`);
    await page.click(`.bulk-bar button:has-text("${en.queue_view.bulk_apply}")`);
    await page.waitForSelector(`.bulk-result:has-text("Done for 2.")`);
    for (const title of ["Filler 26", "Filler 25"]) {
      const [t] = await app.db.db.select().from(tickets).where(eq(tickets.title, title));
      expect(t.assigneeId).toBe(reza.id);
      const events = await app.db.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.kind, "assign")));
      expect(events.map((e) => e.actorId)).toEqual([me.id]);
    }
    // They left the Unassigned view, and the selection went with the action.
    await page.waitForFunction(() => !document.body.textContent?.includes("Filler 26"));
    expect(await page.textContent(".bulk-bar strong")).toBe("0 selected");
    await page.close();
  });

  it("lets an agent take tickets in bulk by long press, in Persian", async () => {
    const page = await app.openAs(5_300_106, "fa", DARK, "agent");
    await page.setViewportSize({ width: 390, height: 844 });
    const me = (await app.db.db.query.users.findFirst({ where: eq(users.telegramId, 5_300_106) }))!;
    const first = rowOf(page, "Filler 24");
    await first.waitFor();
    const box = (await first.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.waitForSelector(".bulk-bar");
    await page.mouse.up();
    await rowOf(page, "Filler 23").click();
    expect(await page.textContent(".bulk-bar strong")).toBe("۲ انتخاب‌شده");
    await page.selectOption(`select[aria-label="${fa.queue_view.bulk_action}"]`, `assign:${me.id}`);
    await page.click(`.bulk-bar button:has-text("${fa.queue_view.bulk_apply}")`);
    await page.waitForSelector(`.bulk-result:has-text("برای ۲ انجام شد.")`);
    const mine = await app.db.db.select().from(tickets).where(eq(tickets.assigneeId, me.id));
    expect(mine.map((t) => t.title).sort()).toEqual(["Filler 23", "Filler 24"]);
    await page.screenshot({ path: join(artifacts, "queue-bulk-fa.png") });
    await page.close();
  });

  it("gives a requester their own tickets without staff views, filters or names", async () => {
    const page = await app.openAs(5_300_001, "en", LIGHT, "requester");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForSelector(".queue-row");
    expect(await page.textContent(".queue-heading")).toBe(en.queue_view.my_tickets);
    expect(await page.locator('[role="tab"]').count()).toBe(0);
    expect(await page.locator(`button:has-text("${en.queue_view.select}")`).count()).toBe(0);
    expect(await page.locator(".row-people").count()).toBe(0);
    expect(await page.getAttribute('input[type="search"]', "placeholder")).toBe(en.queue_view.search_own);
    await page.close();
  });

  it("never scrolls sideways at 320 and 430 px in fa, en and ru", async () => {
    for (const lang of ["fa", "en", "ru"]) {
      const page = await app.openAs(
        5_300_110 + lang.charCodeAt(0),
        lang,
        lang === "fa" ? DARK : LIGHT,
        "moderator",
      );
      await page.waitForSelector(".queue-row");
      await page.click(`button:has-text("${texts(lang).queue_view.select}")`);
      await page.locator(".queue-row").first().click();
      for (const width of [320, 430]) {
        await page.setViewportSize({ width, height: 800 });
        await page.click(`[data-view="all"]`);
        await page.waitForSelector(".bulk-bar");
        await expectNoHorizontalOverflow(page, `queue ${lang} ${width}px`);
      }
      await page.close();
    }
  }, 120_000);
});
