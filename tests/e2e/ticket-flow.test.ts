import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branches, categories, labels, ticketLabels, tickets, users } from "../../drizzle/schema/index.js";
import faApp from "../../locales/fa/miniapp.json";
import ruApp from "../../locales/ru/miniapp.json";
import { addTicketMessage, assignTicket, createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
  type Theme,
} from "../helpers/miniapp-browser.js";

/**
 * A moderator's whole triage walk in Persian (dark, right to left) and Russian
 * (light), every control found by its translated name: tabs, the extra filters
 * and sort, search, a ticket whose assignee has moved to another branch (the
 * picker must still name them), reassigning, reply, note, status, a requester's
 * message arriving live, Back to the same queue view, and a dashboard bar
 * opening the queue filtered to its status.
 */
const TEXTS = { fa: faApp, ru: ruApp };
const PERSIAN_DIGITS = /[۰-۹]/;

describe.skipIf(!hasChromium)("triage in the Mini App, in fa and ru", () => {
  let app: MiniAppBrowser;
  let tg = 3_000_000;

  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  /** A branch of the language's own with three tickets, one worked by someone who since moved away. */
  async function seed(lang: "fa" | "ru") {
    const db = app.db.db;
    const code = (c: string) => db.select().from(categories).where(eq(categories.code, c));
    const [[network], [software]] = await Promise.all([code("network"), code("software")]);
    const [[home], [away]] = await Promise.all(
      [`${lang}_home`, `${lang}_away`].map((c) =>
        db
          .insert(branches)
          .values({ code: c, name: { fa: c, en: c } })
          .returning(),
      ),
    );
    const person = async (firstName: string, role: "requester" | "agent", branchId: string) =>
      (
        await db
          .insert(users)
          .values({ telegramId: tg++, firstName, role, branchId, language: lang })
          .returning()
      )[0];
    const requester = await person("Sara", "requester", home.id);
    const arash = await person("Arash", "agent", home.id);
    const bahar = await person("Bahar", "agent", home.id);
    const [label] = await db
      .insert(labels)
      .values({ name: `Hardware-${lang}`, color: "#E53935" })
      .returning();
    const open = async (title: string, categoryId: string, priority: "low" | "normal" | "high") =>
      createTicket({
        ctx: app.contexts.forSystem(),
        input: { title, categoryId, priority, requesterId: requester.id, branchId: home.id },
      });
    const printer = await open(`Printer jams ${lang}`, network.id, "normal");
    const vpn = await open(`VPN drops ${lang}`, software.id, "high");
    await open(`Keyboard needed ${lang}`, network.id, "low");
    await db.insert(ticketLabels).values({ ticketId: printer.id, labelId: label.id });
    await assignTicket({ ctx: app.contexts.forSystem(), input: { ticketId: vpn.id, assigneeId: arash.id } });
    // Arash moves to another branch: he can no longer be offered, but he still has the ticket.
    await db.update(users).set({ branchId: away.id }).where(eq(users.id, arash.id));
    return { home, requester, arash, bahar, label, network, vpn };
  }

  async function walk(lang: "fa" | "ru", theme: Theme) {
    const L = TEXTS[lang];
    const data = await seed(lang);
    const moderatorTg = tg++;
    const page = await app.openAs(moderatorTg, lang, theme, "moderator");
    await app.db.db.update(users).set({ branchId: data.home.id }).where(eq(users.telegramId, moderatorTg));
    await page.reload();
    await page.waitForSelector(".nav");
    const rows = () => page.locator(".row-title").allTextContents();
    const select = (label: string) => `select[aria-label="${label}"]`;

    // Unassigned: the two tickets nobody works.
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 2);
    await page.click(`button[role="tab"]:has-text("${L.tabs.all}")`);
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 3);

    // More filters: category, then label; the toggle counts them in the reader's digits.
    await page.click(`button:has-text("${L.filter.more}")`);
    await page.selectOption(select(L.filter.category), data.network.id);
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 2);
    await page.selectOption(select(L.filter.label), data.label.id);
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 1);
    expect(await rows()).toEqual([`Printer jams ${lang}`]);
    const toggle = await page.locator('button[aria-expanded="true"]').textContent();
    expect(toggle).toContain(lang === "fa" ? "۲" : "2");
    await page.click(`button:has-text("${L.filter.clear}")`);
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 3);
    await page.selectOption(select(L.filter.sort), "created_asc");
    await page.waitForFunction(
      (t) => document.querySelector(".row-title")?.textContent === t,
      `Printer jams ${lang}`,
    );
    await page.screenshot({ path: join(artifacts, `queue-filters-${lang}.png`) });

    // Search, open; the assignee who moved away is named, and the picker offers home staff.
    await page.fill('input[type="search"]', "VPN");
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 1);
    await page.click(".row");
    await page.waitForSelector(".ticket-title");
    // The controls are one tap away, in the sheet under the ticket's compact header.
    await page.click(".ticket-summary");
    const assignee = page.locator(select(L.ticket.assignee));
    expect(await assignee.inputValue()).toBe(data.arash.id);
    expect(await assignee.locator("option:checked").textContent()).toContain("Arash");
    expect(await assignee.locator("option").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("Bahar")]),
    );
    await assignee.selectOption(data.bahar.id);
    await expect
      .poll(
        async () => (await app.db.db.select().from(tickets).where(eq(tickets.id, data.vpn.id)))[0].assigneeId,
      )
      .toBe(data.bahar.id);

    await page.fill("textarea", `Answer in ${lang}`);
    await page.click(`.composer-row button:has-text("${L.ticket.send}")`);
    await page.waitForSelector(`.msg.staff:has-text("Answer in ${lang}")`);
    await page.click(`.mode-switch [role="radio"]:has-text("${L.chat.mode_note}")`);
    await page.fill("textarea", "Internal only");
    await page.click(`.composer-row button:has-text("${L.chat.add_note}")`);
    await page.waitForSelector(`.msg.internal:has-text("Internal only") .badge`);
    await page.selectOption(select(L.ticket.status), "waiting_customer");
    await expect
      .poll(async () => (await app.db.db.select().from(tickets).where(eq(tickets.id, data.vpn.id)))[0].status)
      .toBe("waiting_customer");

    // The requester answers through the bot: the open screen shows it without a reload.
    await addTicketMessage({
      ctx: app.contexts.forUser(data.requester),
      input: { ticketId: data.vpn.id, body: `Thanks from Sara ${lang}` },
    });
    await page.waitForSelector(`.msg.requester:has-text("Thanks from Sara ${lang}")`, { timeout: 10_000 });
    if (lang === "fa") {
      expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
      expect(await page.locator(".msg time").first().textContent()).toMatch(PERSIAN_DIGITS);
    }
    await page.screenshot({ path: join(artifacts, `ticket-${lang}.png`), fullPage: true });

    // Back to the queue: the same tab, search and sort as it was left.
    await page.click(`.nav button:has-text("${L.nav.queue}")`);
    await page.waitForSelector(".row");
    expect(await page.getAttribute(`button[role="tab"]:has-text("${L.tabs.all}")`, "aria-selected")).toBe(
      "true",
    );
    expect(await page.inputValue('input[type="search"]')).toBe("VPN");
    if (lang === "fa") {
      // Right to left: the status dot sits at the row's right, before the title in reading order.
      const [dot, title] = await Promise.all([
        page.locator(".row .dot").first().boundingBox(),
        page.locator(".row .row-title").first().boundingBox(),
      ]);
      expect(dot!.x).toBeGreaterThan(title!.x);
    }

    // A dashboard bar opens the queue filtered to its status.
    await page.click(`.nav button:has-text("${L.nav.dashboard}")`);
    await page.click('.bar-row:has([data-status="open"])');
    await page.waitForSelector(".row");
    expect(await page.inputValue(select(L.filter.status))).toBe("open");
    expect(await rows()).toEqual(expect.arrayContaining([`Printer jams ${lang}`, `Keyboard needed ${lang}`]));
    expect(await rows()).not.toContain(`VPN drops ${lang}`);
    await page.close();
  }

  it("lets an agent open a ticket for a caller, once however often they tap (en)", async () => {
    const db = app.db.db;
    const [branch] = await db
      .insert(branches)
      .values({ code: "en_desk", name: { fa: "میز", en: "Desk" } })
      .returning();
    const [caller] = await db
      .insert(users)
      .values({ telegramId: tg++, firstName: "Nadia", lastName: "Karimi", role: "requester", language: "en" })
      .returning();
    const agentTg = tg++;
    const page = await app.openAs(agentTg, "en", LIGHT, "agent");
    await db.update(users).set({ branchId: branch.id }).where(eq(users.telegramId, agentTg));
    await page.reload();
    await page.click('button:has-text("New ticket")');
    await page.fill('input[aria-label^="Find the person"]', "Nad");
    await page.click('.for-whom .row:has-text("Nadia Karimi")');
    expect(await page.textContent("[data-for-whom]")).toContain("Nadia Karimi");
    await page.fill('input[aria-label="Title"]', "Wi-Fi down in room 4");
    await page.fill('textarea[aria-label="Description"]', "Called at 10:15");
    await page.selectOption('select[aria-label="Priority"]', "high");
    await page.screenshot({ path: join(artifacts, "new-ticket-en.png") });
    await page.dblclick('.new-ticket > button:has-text("Open ticket")');
    await page.waitForSelector('.ticket-title:has-text("Wi-Fi down in room 4")');
    expect(await page.textContent(".page")).toContain("Requester: Nadia Karimi");
    const made = await db.select().from(tickets).where(eq(tickets.title, "Wi-Fi down in room 4"));
    expect(made).toHaveLength(1);
    // A customer without a branch is filed in the branch of whoever took the call.
    expect(made[0]).toMatchObject({ requesterId: caller.id, branchId: branch.id, priority: "high" });
    await page.close();
  });

  it("keeps clear of Telegram's safe areas as the SDK reports them", async () => {
    const page = await app.openAs(tg++, "en", LIGHT, "agent");
    // What the SDK's viewport.bindCssVars sets in a full-screen client with a notch.
    await page.evaluate(() => {
      const root = document.documentElement.style;
      root.setProperty("--tg-viewport-safe-area-inset-top", "24px");
      root.setProperty("--tg-viewport-content-safe-area-inset-top", "46px");
      root.setProperty("--tg-viewport-safe-area-inset-bottom", "34px");
    });
    const padding = await page.evaluate(() => {
      const style = getComputedStyle(document.body);
      return [style.paddingTop, style.paddingBottom];
    });
    expect(padding).toEqual(["70px", "34px"]);
    await page.close();
  });

  it("walks a moderator through triage in Persian, right to left, dark theme", async () => {
    await walk("fa", DARK);
  });

  it("walks a moderator through triage in Russian, light theme", async () => {
    await walk("ru", LIGHT);
  });
});
