import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories, type User, users } from "../../drizzle/schema/index.js";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
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
 * Telegram's side of the bridge: every web_app_* call recorded in window.__tg; CloudStorage
 * calls (web_app_invoke_custom_method) answered as Telegram does (custom_method_invoked) from
 * a store kept by the test in Node (window.__cloudCall), so it outlives reloads and the
 * WebView's own storage.
 */
const FAKE_TELEGRAM = `
  window.__tg = [];
  window.TelegramWebviewProxy = {
    postEvent(type, data) {
      const params = data ? JSON.parse(data) : null;
      window.__tg.push([type, params]);
      if (type === "web_app_invoke_custom_method" && window.__cloudCall)
        window.__cloudCall(params.method, params.params).then((result) =>
          window.dispatchEvent(new MessageEvent("message", {
            data: JSON.stringify({ eventType: "custom_method_invoked", eventData: { req_id: params.req_id, result } }),
            source: window,
          })));
    },
  };
`;

type Call = [string, Record<string, unknown> | null];
const calls = (page: Page, type: string) =>
  page.evaluate((ty) => (window as unknown as { __tg: Call[] }).__tg.filter((c) => c[0] === ty), type);
/** The haptics the app asked Telegram for, as "notification:success", "impact:light"… */
const haptics = async (page: Page) =>
  (await calls(page, "web_app_trigger_haptic_feedback")).map(
    ([, p]) => `${p?.type}:${p?.notification_type ?? p?.impact_style ?? ""}`,
  );

async function expectNoHorizontalOverflow(page: Page, what: string) {
  const { scroll, client, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
      })
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scroll: document.documentElement.scrollWidth, client: width, culprits: out.join(", ") };
  });
  expect(scroll, `${what} overflows: ${culprits}`).toBeLessThanOrEqual(client);
}

type Box = { x: number; y: number };
/** Where a piece of text starts: its first line's box (a long value may wrap onto the next line). */
const firstLine = (el: Locator): Promise<Box> =>
  el.evaluate((e) => {
    const r = e.getClientRects()[0];
    return { x: r.x, y: r.y };
  });
/** `first` comes before `second` as the line reads: on one line, to its right in Persian; else a line above. */
function expectReadBefore(first: Box, second: Box, lang: string) {
  if (Math.abs(first.y - second.y) > 4) return expect(first.y).toBeLessThan(second.y);
  if (lang === "fa") expect(first.x).toBeGreaterThan(second.x);
  else expect(first.x).toBeLessThan(second.x);
}

/**
 * Details a phone user notices, at 390 px in English (light) and right-to-left Persian
 * (dark), with Telegram's bridge faked: pull to refresh on the queue, haptics on success and
 * error, a draft kept in Telegram's CloudStorage (back after the WebView's storage is
 * cleared), the reports' tables within the screen, and arrows that point the way the
 * line reads.
 */
describe.skipIf(!hasChromium)("the Mini App's phone details", () => {
  let app: MiniAppBrowser;
  let requester: User;
  let agent: User;
  let categoryId = "";
  /** Telegram's CloudStorage for the people of this file (key → value). */
  const cloud = new Map<string, string>();

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    const db = app.db.db;
    [requester] = await db
      .insert(users)
      .values({ telegramId: 8_100_001, firstName: "Sara", lastName: "Karimi", language: "fa" })
      .returning();
    [agent] = await db
      .insert(users)
      .values({ telegramId: 8_100_002, firstName: "Reza", lastName: "Ahmadi", role: "agent", language: "en" })
      .returning();
    categoryId = (await db.select().from(categories).where(eq(categories.code, "network")))[0].id;
    for (const title of ["Internet in room 4", "اینترنت کلاس ۵", "Printer jam on the second floor"])
      await createTicket({ ctx: app.contexts.forUser(requester), input: { title, categoryId } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  async function open(telegramId: number, lang: string, theme: Theme, role: string, startParam?: string) {
    const page = await app.openAs(telegramId, lang, theme, role, startParam);
    await page.exposeBinding(
      "__cloudCall",
      (_source, method: string, params: { key?: string; value?: string; keys?: string[] }) => {
        if (method === "saveStorageValue") cloud.set(params.key ?? "", params.value ?? "");
        if (method === "deleteStorageValues") for (const k of params.keys ?? []) cloud.delete(k);
        if (method === "getStorageValues")
          return Object.fromEntries(
            (params.keys ?? []).filter((k) => cloud.has(k)).map((k) => [k, cloud.get(k)]),
          );
        if (method === "getStorageKeys") return [...cloud.keys()];
        return true;
      },
    );
    await page.addInitScript(FAKE_TELEGRAM);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector(".nav");
    return page;
  }

  for (const [lang, theme] of [
    ["en", LIGHT],
    ["fa", DARK],
  ] as const) {
    const tx = texts(lang);

    it(`refreshes the queue when pulled down from the top (${lang})`, async () => {
      const page = await open(lang === "en" ? 8_200_001 : 8_200_002, lang, theme, "moderator");
      // No live updates: what appears, appears because of the pull. The event stream is
      // held open, never answered: an aborted one makes the app reconnect after 2 s and
      // refetch everything it may have missed, which would show the ticket without a pull.
      await page.route("**/api/events**", () => undefined);
      // The list's own requests: the ticket is made only once none is on its way, or a
      // fetch of the view the click asked for, answered late, would show it without a pull.
      // Kept by identity, not counted: a request of the page before the reload, aborted by
      // it, ends here without having started here (a count went to -1 and never to 0).
      const listing = new Set<unknown>();
      const isList = (r: { url(): string }) => new URL(r.url()).pathname === "/api/tickets";
      page.on("request", (r) => isList(r) && listing.add(r));
      const done = (r: { url(): string }) => listing.delete(r);
      page.on("requestfinished", done);
      page.on("requestfailed", done);
      const firstList = page.waitForResponse(isList);
      await page.reload();
      await firstList;
      await expect.poll(() => listing.size, { timeout: 10_000 }).toBe(0);
      // The click's own fetch is made after the click is handled: waiting for none on its
      // way right after the click could see the moment before it (the ticket, made then,
      // came with that fetch, without a pull: a CI failure). Wait for it to start first.
      const allList = page.waitForRequest(isList);
      await page.click('[data-view="all"]');
      await allList;
      await page.locator(".queue-row").first().waitFor();
      await expect.poll(() => listing.size, { timeout: 10_000 }).toBe(0);
      const title = `Projector ${lang} pulled`;
      await createTicket({ ctx: app.contexts.forUser(requester), input: { title, categoryId } });
      await page.waitForTimeout(300);
      expect(await page.locator(".row-title", { hasText: title }).count()).toBe(0);
      const touch = (type: string, y: number) =>
        page.evaluate(
          ([type, y]) => {
            const point = new Touch({
              identifier: 1,
              target: document.body,
              clientX: 200,
              clientY: y as number,
            });
            const touches = type === "touchend" ? [] : [point];
            window.dispatchEvent(new TouchEvent(type as string, { touches, changedTouches: [point] }));
          },
          [type, y] as const,
        );
      await touch("touchstart", 120);
      await touch("touchmove", 160);
      expect(await page.getAttribute("[data-pull]", "data-pull")).toBe("pulling");
      expect(await page.textContent("[data-pull]")).toBe(tx.queue_view.pull_pulling);
      await touch("touchmove", 260);
      expect(await page.getAttribute("[data-pull]", "data-pull")).toBe("ready");
      await touch("touchend", 260);
      await page.locator(".row-title", { hasText: title }).waitFor({ timeout: 15_000 });
      await page.locator("[data-pull]").waitFor({ state: "detached" });
      await expectNoHorizontalOverflow(page, `queue after a pull (${lang})`);
      await page.close();
    }, 90_000);

    it(`keeps a new ticket's draft in Telegram's CloudStorage and confirms with haptics (${lang})`, async () => {
      const page = await open(lang === "en" ? 8_300_001 : 8_300_002, lang, theme, "agent");
      await page.click(`button:has-text("${tx.queue.new}")`);
      const titleBox = page.locator(`.new-ticket input[aria-label="${tx.new.title}"]`);
      await titleBox.fill("Pr");
      // Too short: said next to the field, with an error haptic, and nothing is sent.
      await page.click(`.new-ticket > button:has-text("${tx.new.create}")`);
      await page.waitForSelector('.new-ticket .field-error[data-field="title"]');
      expect(await page.textContent('.field-error[data-field="title"]')).toBe(tx.field_error.too_small);
      expect(await haptics(page)).toContain("notification:error");

      const words = lang === "en" ? "Projector in the hall" : "ویدئو پروژکتور سالن";
      await titleBox.fill(words);
      await page.fill(`.new-ticket textarea[aria-label="${tx.new.description}"]`, "No picture since Monday");
      // Written to Telegram's cloud once the typing pauses.
      await expect
        .poll(() => [...cloud.entries()].find(([k]) => k.endsWith("new-ticket"))?.[1] ?? "", {
          timeout: 10_000,
        })
        .toContain(words);
      // The WebView's storage is gone (another device, or Telegram cleared it): the draft comes back from the cloud.
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await page.waitForSelector(".nav");
      await page.click(`button:has-text("${tx.queue.new}")`);
      await expect.poll(() => titleBox.inputValue(), { timeout: 10_000 }).toBe(words);
      expect(
        await page.locator(`.new-ticket textarea[aria-label="${tx.new.description}"]`).inputValue(),
      ).toBe("No picture since Monday");
      await expectNoHorizontalOverflow(page, `new ticket (${lang})`);

      await page.click(`.new-ticket > button:has-text("${tx.new.create}")`);
      await page.locator(".ticket-screen").waitFor();
      await expect.poll(() => haptics(page)).toContain("notification:success");
      // Sent: the cloud's copy is removed too.
      await expect.poll(() => [...cloud.keys()].filter((k) => k.endsWith("new-ticket")).length).toBe(0);
      await page.close();
    }, 90_000);

    it(`fits the reports' tables in a 390 px screen (${lang})`, async () => {
      const page = await open(lang === "en" ? 8_400_001 : 8_400_002, lang, theme, "admin");
      await page.click(`.nav button:has-text("${tx.reports.nav}")`);
      await page.waitForSelector('section[data-report="volume"] tfoot');
      await page.waitForSelector(".report-table >> nth=2");
      await page.waitForTimeout(500);
      for (const width of [320, 390, 430]) {
        await page.setViewportSize({ width, height: 844 });
        await expectNoHorizontalOverflow(page, `reports at ${width} px (${lang})`);
      }
      await page.setViewportSize({ width: 390, height: 844 });
      // A table wider than the screen scrolls inside its own box, which stays on screen.
      const boxes = await page.$$eval(".table-scroll", (els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right };
        }),
      );
      expect(boxes.length).toBeGreaterThan(0);
      for (const b of boxes) {
        expect(b.left).toBeGreaterThanOrEqual(0);
        expect(b.right).toBeLessThanOrEqual(390);
      }
      await page.screenshot({ path: join(artifacts, `reports-390-${lang}.png`), fullPage: true });
      await page.close();
    }, 90_000);
  }

  it("points arrows the way the line reads: right to left in Persian, left to right in English", async () => {
    const ticket = await createTicket({
      ctx: app.contexts.forUser(requester),
      input: { title: "Arrow check", categoryId },
    });
    await changeTicketStatus({
      ctx: app.contexts.forUser(agent),
      input: { ticketId: ticket.id, status: "in_progress" },
    });
    for (const [lang, theme, arrow] of [
      ["fa", DARK, "←"],
      ["en", LIGHT, "→"],
    ] as const) {
      const page = await open(lang === "fa" ? 8_500_001 : 8_500_002, lang, theme, "moderator");
      await page.click('[data-view="all"]');
      const row = page.locator(".queue-row", { hasText: "Arrow check" });
      await row.waitFor();
      // Requester → assignee: the arrow points from the first name read to the second.
      expect((await row.locator(".row-people .arrow").textContent())?.trim()).toBe(arrow);
      expectReadBefore(
        await firstLine(row.locator(".requester")),
        await firstLine(row.locator(".assignee")),
        lang,
      );
      // The history's "from → to" too.
      await row.click();
      await page.click(".ticket-summary");
      const change = page.locator(".history .change").first();
      await change.waitFor();
      expect((await change.locator(".arrow").textContent())?.trim()).toBe(arrow);
      const [before, after] = await change.locator("bdi").all();
      expectReadBefore(await firstLine(before), await firstLine(after), lang);
      await expectNoHorizontalOverflow(page, `ticket sheet (${lang})`);
      await page.close();
    }
  }, 90_000);
});
