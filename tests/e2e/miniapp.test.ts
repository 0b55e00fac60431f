import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labels, notifications, tickets, users } from "../../drizzle/schema/index.js";
import { addTicketMessage, changeTicketStatus, createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

describe.skipIf(!hasChromium)("the Mini App in Chromium", () => {
  let app: MiniAppBrowser;
  let db: MiniAppBrowser["db"];
  let browser: MiniAppBrowser["browser"];
  let base = "";
  let contexts: MiniAppBrowser["contexts"];
  let requesterId = "";

  beforeAll(async () => {
    app = await startMiniAppBrowser();
    ({ db, browser, base, contexts } = app);
    const { files } = app;
    const [requester] = await db.db
      .insert(users)
      .values({ telegramId: 1_000_001, firstName: "Sara", language: "en" })
      .returning();
    requesterId = requester.id;
    const categoryId = (await db.db.query.categories.findFirst())!.id;
    const ctx = contexts.forUser(requester);
    await db.db.insert(labels).values({ name: "Hardware", color: "#E53935" });
    // A photo sent during the bot's /new: it belongs to the ticket, not to a message.
    const jam = { kind: "photo" as const, fileName: "jam.jpg", mimeType: "image/jpeg", sizeBytes: 1000 };
    await createTicket({
      ctx,
      input: {
        title: "Printer jams on floor 2",
        categoryId,
        priority: "normal",
        attachments: [{ ...jam, tgFileId: "AgACjam", tgFileUniqueId: "jam" }],
      },
    });
    const vpn = await createTicket({
      ctx,
      input: { title: "VPN drops every hour", categoryId, priority: "high" },
    });
    // A file in the thread, stored as an upload would store it.
    await files.put("e2e/vpn-log.txt", new TextEncoder().encode("drop at 10:02"));
    await addTicketMessage({
      ctx,
      input: {
        ticketId: vpn.id,
        body: "Log attached",
        attachments: [
          {
            kind: "document",
            fileName: "vpn-log.txt",
            mimeType: "text/plain",
            sizeBytes: 13,
            storagePath: "e2e/vpn-log.txt",
          },
        ],
      },
    });
    await createTicket({ ctx, input: { title: "New keyboard needed", categoryId, priority: "low" } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  const openAs: MiniAppBrowser["openAs"] = (...args) => app.openAs(...args);

  it("lets an agent filter, search, open a ticket, reply, note, change status, take it, and see live changes (en, light)", async () => {
    const page = await openAs(2_000_001, "en", LIGHT, "agent");
    await page.waitForSelector(".row");
    expect(await page.locator(".row").count()).toBe(3);
    await page.selectOption('select[aria-label="Priority"]', "high");
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 1);
    expect(await page.locator(".row-title").first().textContent()).toBe("VPN drops every hour");
    await page.selectOption('select[aria-label="Priority"]', "");
    await page.fill('input[type="search"]', "Printer");
    await page.waitForFunction(
      () =>
        document.querySelectorAll(".row").length === 1 && document.body.textContent?.includes("Printer jams"),
    );
    await page.screenshot({ path: join(artifacts, "queue-en-light.png") });

    // The requester blocked the bot: staff see who asked and that answers will not reach them.
    await db.db.update(users).set({ botBlocked: true }).where(eq(users.id, requesterId));
    await page.click(".row");
    await page.waitForSelector(".ticket-title");
    expect(await page.textContent(".page")).toContain("Requester: Sara");
    expect(await page.textContent(".ticket-files")).toContain("jam.jpg");
    expect(await page.textContent('[role="status"]')).toContain("blocked the bot");
    await db.db.update(users).set({ botBlocked: false }).where(eq(users.id, requesterId));
    await page.fill("textarea", "We are on it");
    await page.click(".send-button");
    await page.waitForSelector(".msg.staff:not(.pending)");
    // Each message says who wrote it.
    expect(await page.textContent(".msg.staff .author")).toBe("Mini2000001");
    await page.click('.mode-switch [role="radio"]:has-text("Note")');
    await page.fill("textarea", "Vendor contract #77");
    await page.click(".send-button");
    await page.waitForSelector(".msg.internal .badge");
    // The controls are one tap away, in the sheet under the ticket's compact header.
    await page.click(".ticket-summary");
    await page.selectOption('select[aria-label="Status"]', "waiting_customer");
    await page.waitForFunction(() => document.body.textContent?.includes("changed status"));
    await page.click('.chip:has-text("Hardware")');
    await page.waitForSelector('.chip.on:has-text("Hardware")');
    await page.selectOption('select[aria-label="Category"]', { label: "💾 Software" });
    await page.waitForFunction(() => document.body.textContent?.includes("changed category"));
    await page.click('button:has-text("Take it")');
    await page.waitForSelector('button:has-text("Let go")');
    await page.screenshot({ path: join(artifacts, "ticket-en-light.png"), fullPage: true });
    const [agent] = await db.db.select().from(users).where(eq(users.telegramId, 2_000_001));
    const [printer] = await db.db.select().from(tickets).where(eq(tickets.title, "Printer jams on floor 2"));
    expect(printer).toMatchObject({ status: "waiting_customer", assigneeId: agent.id });

    // Someone else opens a ticket: the open queue shows it without a reload.
    await page.click('.nav button:has-text("Queue")');
    await page.click('button[role="tab"]:has-text("All")');
    await page.fill('input[type="search"]', "");
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 3);
    const [requester] = await db.db.select().from(users).where(eq(users.id, requesterId));
    await createTicket({
      ctx: contexts.forUser(requester),
      input: { title: "Projector is dark", categoryId: printer.categoryId },
    });
    await page.waitForFunction(() => document.body.textContent?.includes("Projector is dark"), null, {
      timeout: 10_000,
    });
    await page.close();
  }, 90_000);

  it("lays out right to left in Persian with Jalali dates, in the dark theme", async () => {
    const page = await openAs(2_000_002, "fa", DARK, "moderator");
    await page.waitForSelector(".row");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(await page.locator('button[role="tab"]').first().textContent()).toBe("بدون مسئول");
    expect(await page.locator(".row-sub").first().textContent()).toMatch(/[۰-۹]{4}/);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(23, 33, 43)");
    await page.screenshot({ path: join(artifacts, "queue-fa-dark.png") });
    await page.click('.nav button:has-text("داشبورد")');
    await page.waitForSelector(".stat-number");
    await page.screenshot({ path: join(artifacts, "dashboard-fa-dark.png") });
    await page.close();
  });

  it("lets an admin manage roles, labels and categories, retry a failed notification, and set own preferences", async () => {
    const page = await openAs(2_000_003, "en", LIGHT, "admin");
    await page.click('.nav button:has-text("Admin")');
    await page.waitForSelector('[data-user="user1000001"], .admin-row');
    const sara = page.locator(".admin-row", { hasText: "Sara" });
    await sara.locator('select[aria-label="Role"]').selectOption("agent");
    // Users' changes are kept only on the explicit Save (tests/e2e/telegram-native.test.ts).
    await sara.locator('.save-row button:has-text("Save")').click();
    await expect
      .poll(async () => (await db.db.select().from(users).where(eq(users.id, requesterId)))[0].role)
      .toBe("agent");

    await page.click('.subnav button:has-text("Labels")');
    await page.fill('input[aria-label="Label name"]', "VIP");
    await page.click('.form button:has-text("Add")');
    await page.waitForSelector('.admin-row:has-text("VIP")');
    await page.click('.subnav button:has-text("Categories")');
    const other = page.locator(".admin-row", { hasText: "Other" });
    await other.locator('button:has-text("Deactivate")').click();
    await page.waitForSelector('.admin-row.inactive:has-text("Other")');
    await page.screenshot({ path: join(artifacts, "admin-categories-en-light.png") });

    const [anyTicket] = await db.db.select().from(tickets).limit(1);
    const [failed] = await db.db
      .insert(notifications)
      .values({
        chatId: 42,
        ticketId: anyTicket.id,
        type: "system",
        idempotencyKey: "e2e-failed",
        state: "failed",
        lastError: "400 Bad Request: chat not found",
      })
      .returning();
    await page.click('.subnav button:has-text("Undelivered")');
    await page.waitForSelector('.failed-row:has-text("chat not found")');
    await page.click('.failed-row button:has-text("Send again")');
    await expect
      .poll(
        async () =>
          (await db.db.select().from(notifications).where(eq(notifications.id, failed.id)))[0].state,
      )
      .toBe("pending");

    await page.click('.nav button:has-text("Settings")');
    await page.check('input[data-kind="new_ticket"]');
    await expect
      .poll(
        async () => (await db.db.select().from(users).where(eq(users.telegramId, 2_000_003)))[0].notifyPrefs,
      )
      .toEqual({ new_ticket: true });
    await page.close();
  });

  it("opens the ticket named by a startapp=t_<number> deep link", async () => {
    const [vpn] = await db.db.select().from(tickets).where(eq(tickets.title, "VPN drops every hour"));
    const page = await openAs(2_000_004, "en", LIGHT, "agent", `t_${vpn.number}`);
    await page.waitForSelector(".ticket-title");
    expect(await page.locator(".ticket-title").textContent()).toBe("VPN drops every hour");
    // Its file opens: fetched with the token (a plain link would get a 401) and downloaded.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(".file")]);
    expect(download.suggestedFilename()).toBe("vpn-log.txt");
    await page.close();
    // A link to a ticket that is not there says so instead of doing nothing.
    const lost = await openAs(2_000_005, "en", LIGHT, "agent", "t_T-19990101-0001");
    await lost.waitForSelector('[role="alert"]');
    expect(await lost.locator('[role="alert"]').first().textContent()).toContain(
      "T-19990101-0001 was not found",
    );
    // A failing search shows the server's message in the queue, not an empty list.
    await lost.click('button:has-text("Back to the queue")');
    await lost.fill('input[type="search"]', "x".repeat(300));
    await lost.waitForSelector('.page [role="alert"]');
    expect(await lost.locator('.page [role="alert"]').textContent()).toContain("not valid");
    await lost.close();
  });

  it("refreshes an expired session once, although a screen's several calls all find it expired", async () => {
    const page = await openAs(2_000_006, "en", LIGHT, "agent");
    await page.waitForSelector(".row");
    app.shiftClock(16 * 60_000); // past the access token's 15 minutes
    try {
      // The ticket screen loads the ticket, its thread and its history at once: three 401s.
      await page.click(".row");
      await page.waitForSelector(".ticket-title");
      await page.waitForSelector(".msg, .hint");
      expect(await page.locator('[role="alert"]').count()).toBe(0);
      // Still signed in afterwards: another screen loads.
      await page.click('.nav button:has-text("Queue")');
      await page.waitForSelector(".row");
    } finally {
      app.shiftClock(0);
      await page.close();
    }
  });

  it("says where to open it when there is no Telegram environment, and never signs in", async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForSelector(".hint");
    expect(await page.locator(".nav").count()).toBe(0);
    await page.close();
  });

  // Last: it adds tickets the counts of the tests above do not expect.
  it("keeps a scrolled-down queue in place on a live change, and offers the latest with a button", async () => {
    const [requester] = await db.db.select().from(users).where(eq(users.id, requesterId));
    const ctx = contexts.forUser(requester);
    const categoryId = (await db.db.query.categories.findFirst())!.id;
    for (let i = 0; i < 25; i++)
      await createTicket({ ctx, input: { title: `Bulk request ${i}`, categoryId } });
    // The newest change of all: a ticket closed while nobody had it.
    const finished = await createTicket({ ctx, input: { title: "Closed and nobody's", categoryId } });
    const [agent] = await db.db.select().from(users).where(eq(users.telegramId, 2_000_001));
    await changeTicketStatus({
      ctx: contexts.forUser(agent),
      input: { ticketId: finished.id, status: "closed" },
    });
    const page = await openAs(2_000_001, "en", LIGHT, "agent");
    // The Unassigned tab lists work nobody has taken, not finished tickets; All has them.
    await page.waitForSelector(".row");
    expect(await page.textContent(".page")).not.toContain("Closed and nobody's");
    await page.click('button[role="tab"]:has-text("All")');
    await page.waitForFunction(() => document.querySelectorAll(".row").length === 20);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => document.querySelectorAll(".row").length > 20);
    const scrolled = await page.locator(".row").count();
    await createTicket({ ctx, input: { title: "Arrived while scrolled", categoryId } });
    await page.waitForSelector(".changes-waiting", { timeout: 10_000 });
    expect(await page.locator(".row").count()).toBe(scrolled);
    await page.click(".changes-waiting");
    await page.waitForFunction(() => document.body.textContent?.includes("Arrived while scrolled"));
    expect(await page.locator(".row").count()).toBe(20);
    await page.close();
  });
});
