import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import type { Page } from "playwright-core";
import { Telegram } from "telegraf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramTyping } from "../../bot/delivery/typing-indicator.js";
import { liveChats, settings, users } from "../../drizzle/schema/index.js";
import { askLive, leaveLiveQueue } from "../../server/domain/index.js";
import { createFakeTelegram, type FakeTelegram } from "../../server/sandbox/bot-api/server.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

const WIDTH = 390;
const OPERATOR = 6_800_001;
const SUPERVISOR = 6_800_002;
const REQUESTER = 6_800_003;
const WAITING = 6_800_004;
const ADMIN = 6_800_005;

/** Elements reaching past either edge at 390 px (a sideways scroll on a phone), named tag.class. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  });

/** The elements of one part of the screen that reach past either edge. */
const overflowIn = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll(`${sel}, ${sel} *`)]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  }, selector);

/**
 * Live chat in the Mini App at 390 px, in Persian and English: the supervisor's
 * board (online staff, the queue, a chat being talked), an operator accepting and
 * replying, the requester's own view with their typing reaching the operator (the
 * operator's screen and, through a fake Bot API, sendChatAction in their private
 * chat) and back; the live settings; the reports' live section.
 */
describe.skipIf(!hasChromium)("live chat in the Mini App", () => {
  let app: MiniAppBrowser;
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await createFakeTelegram();
    const telegram = new Telegram("123:live-e2e", { apiRoot: fake.url });
    app = await startMiniAppBrowser({ typing: createTelegramTyping(telegram, pino({ level: "silent" })) });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const open = async (telegramId: number, lang: "fa" | "en", role: string, theme = LIGHT) => {
    // Someone seen before keeps the language they chose: this visit's is set first.
    await app.db.db.update(users).set({ language: lang }).where(eq(users.telegramId, telegramId));
    const page = await app.openAs(telegramId, lang, theme, role);
    await page.setViewportSize({ width: WIDTH, height: 800 });
    // A step that never comes fails by its own name, well inside the test's time.
    page.setDefaultTimeout(20_000);
    return page;
  };
  const typingCallsTo = (chatId: number) =>
    fake.callsOf("sendChatAction").filter((c) => Number(c.params.chat_id) === chatId);

  it("takes a requester from asking through the board, accepting, typing both ways and replies", async () => {
    const db = app.db.db;
    // The operator takes one chat at a time, so a second requester waits in the queue.
    const operator = await open(OPERATOR, "en", "agent");
    await db.update(users).set({ firstName: "Sara", liveCapacity: 1 }).where(eq(users.telegramId, OPERATOR));
    await operator.click("[data-nav-live]");
    await operator.click('[data-presence-choice="online"]');
    await operator.waitForSelector('.presence-switch[data-presence="online"]');

    // The requester asks in their Mini App (English wording, no staff controls).
    const requester = await open(REQUESTER, "en", "requester");
    await db.update(users).set({ firstName: "Reza" }).where(eq(users.telegramId, REQUESTER));
    await requester.click("[data-nav-live]");
    expect(await requester.textContent(".live-ask")).toContain("Talk to an operator");
    await requester.click("[data-live-ask]");
    await requester.waitForSelector('.live-chat-bar[data-side="requester"][data-live-chat="offered"]');
    expect(await requester.textContent(".live-chat-bar")).toContain("An operator is being asked");
    expect(await requester.locator(".mode-switch").count()).toBe(0);

    // A second requester asks from the bot's side: they wait, number 1 in the queue.
    const waitingPage = await open(WAITING, "fa", "requester", DARK);
    await waitingPage.close();
    const [waiting] = await db.select().from(users).where(eq(users.telegramId, WAITING));
    await db.update(users).set({ firstName: "مریم" }).where(eq(users.id, waiting.id));
    const queued = await askLive({ ctx: app.contexts.forUser(waiting), input: {} });
    if (queued.outcome === "closed_hours") throw new Error("live support closed");
    expect(queued.outcome).toBe("queued");

    // The supervisor's board in Persian: who is online, the queue in order, the offered chat.
    const supervisor = await open(SUPERVISOR, "fa", "moderator", DARK);
    await supervisor.click("[data-nav-live]");
    await supervisor.waitForSelector("[data-live-queue] li >> nth=1");
    const queueText = await supervisor.textContent("[data-live-queue]");
    expect(queueText).toContain("مریم");
    expect(queueText).toContain("#1");
    expect(queueText).toContain("Reza");
    expect(await supervisor.textContent("[data-live-staff]")).toContain("Sara");
    expect(await overflow(supervisor)).toEqual([]);

    // The operator accepts from their offers: the chat opens as the ticket, with its bar.
    await operator.waitForSelector("[data-offer] [data-accept]", { timeout: 15_000 });
    await operator.click("[data-offer] [data-accept]");
    await operator.waitForSelector('.live-chat-bar[data-side="operator"][data-live-chat="active"]');
    expect(await operator.textContent(".live-chat-bar")).toContain("Live chat with Reza");
    await requester.waitForSelector('.live-chat-bar[data-live-chat="active"]', { timeout: 15_000 });
    expect(await requester.textContent(".live-chat-bar")).toContain("You are talking with Sara");

    // The requester types: the operator's screen shows it, and their private chat gets "typing…".
    await requester.locator(".composer textarea").pressSequentially("My printer", { delay: 30 });
    await operator.waitForSelector("[data-typing]", { timeout: 10_000 });
    expect(await operator.textContent("[data-typing]")).toContain("Reza is typing…");
    await expect.poll(() => typingCallsTo(OPERATOR).length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(typingCallsTo(OPERATOR).at(-1)?.params.action).toBe("typing");
    // One signal per ~4 s however many keys: "My printer" was typed in well under that.
    expect(typingCallsTo(OPERATOR)).toHaveLength(1);
    await requester.click(".composer .send-button");
    await operator.waitForSelector('.thread .msg:has-text("My printer")', { timeout: 15_000 });
    // The message ends the typing it announced.
    await operator.waitForSelector("[data-typing]", { state: "detached", timeout: 10_000 });

    // The operator types and replies: the requester's screen and private chat see it too.
    await operator.locator(".composer textarea").pressSequentially("Try again", { delay: 30 });
    await requester.waitForSelector("[data-typing]", { timeout: 10_000 });
    expect(await requester.textContent("[data-typing]")).toContain("Sara is typing…");
    await expect.poll(() => typingCallsTo(REQUESTER).length, { timeout: 10_000 }).toBe(1);
    await operator.click(".composer .send-button");
    await requester.waitForSelector('.thread .msg:has-text("Try again")', { timeout: 15_000 });

    // The board now has the chat being talked, with whom; nothing wider than the phone.
    await supervisor.click("[data-nav-live]");
    await supervisor.waitForSelector('.live-board li:has-text("Reza ↔ Sara")', { timeout: 15_000 });
    for (const page of [supervisor, operator, requester]) expect(await overflow(page)).toEqual([]);
    await supervisor.screenshot({ path: join(artifacts, "live-board-fa.png"), fullPage: true });
    await requester.screenshot({ path: join(artifacts, "live-requester-en.png"), fullPage: true });
    await operator.screenshot({ path: join(artifacts, "live-operator-en.png"), fullPage: true });

    // The requester ends it: the bar says so and the rating comes, as for any ticket.
    await requester.click("[data-live-end]");
    await requester.waitForSelector('.live-chat-bar[data-live-chat="ended"]');
    const [me] = await db.select().from(users).where(eq(users.telegramId, REQUESTER));
    const [chat] = await db.select().from(liveChats).where(eq(liveChats.requesterId, me.id));
    expect(chat.state).toBe("ended");
    for (const page of [supervisor, operator, requester]) await page.close();
  }, 180_000);

  it("edits the three live settings with field errors, in English and Persian", async () => {
    const en = await open(ADMIN, "en", "admin");
    await en.click('.nav button:has-text("Admin")');
    await en.click('.subnav button:has-text("Settings")');
    await en.waitForSelector('input[name="live_offer_seconds"]');
    expect(await en.inputValue('input[name="live_capacity"]')).toBe("2");
    expect(await en.inputValue('input[name="presence_timeout_minutes"]')).toBe("15");
    await en.fill('input[name="live_offer_seconds"]', "2");
    await en.fill('input[name="live_capacity"]', "3");
    await en.click('.admin-settings button:has-text("Save")');
    await en.waitForSelector('[data-field="live_offer_seconds"]');
    expect(await en.textContent('[data-field="live_offer_seconds"]')).toMatch(/5/);
    // Refused as a whole: nothing was saved.
    expect(await app.db.db.select().from(settings).where(eq(settings.key, "live_capacity"))).toHaveLength(0);
    await en.fill('input[name="live_offer_seconds"]', "45");
    await en.click('.admin-settings button:has-text("Save")');
    await expect
      .poll(async () => (await app.db.db.select().from(settings)).map((r) => [r.key, r.value]).sort())
      .toEqual([
        ["live_capacity", 3],
        ["live_offer_seconds", 45],
      ]);
    expect(await overflow(en)).toEqual([]);
    await en.close();

    const fa = await open(ADMIN, "fa", "admin", DARK);
    await fa.click('.nav button:has-text("مدیریت")');
    await fa.click('.subnav button:has-text("تنظیمات")');
    await fa.waitForSelector('input[name="live_offer_seconds"]');
    expect(await fa.textContent(".admin-settings")).toContain("مهلت پذیرش گفتگو برای اپراتور (ثانیه)");
    expect(await fa.inputValue('input[name="live_offer_seconds"]')).toBe("45");
    expect(await overflow(fa)).toEqual([]);
    await fa.screenshot({ path: join(artifacts, "live-settings-fa.png"), fullPage: true });
    await fa.close();
  }, 90_000);

  it("shows queue wait, handle time and abandoned chats on the reports screen", async () => {
    const db = app.db.db;
    // A requester who gives up waiting, so the section has an abandoned chat whatever ran before.
    const leaver = await open(6_800_006, "en", "requester");
    await leaver.close();
    const [who] = await db.select().from(users).where(eq(users.telegramId, 6_800_006));
    const asked = await askLive({ ctx: app.contexts.forUser(who), input: {} });
    if (asked.outcome === "closed_hours") throw new Error("live support closed");
    await leaveLiveQueue({ ctx: app.contexts.forUser(who), input: { chatId: asked.chat.id } });
    const [counts] = await db
      .select({
        asked: sql<number>`count(*)::int`,
        ended: sql<number>`count(*) filter (where ${liveChats.state} = 'ended')::int`,
        abandoned: sql<number>`count(*) filter (where ${liveChats.state} = 'abandoned')::int`,
      })
      .from(liveChats);
    expect(counts.abandoned).toBeGreaterThan(0);

    const page = await open(SUPERVISOR, "en", "moderator");
    await page.click('.nav button:has-text("Reports")');
    await page.waitForSelector('[data-report="live"] [data-live-stat="asked"]');
    const stat = (key: string) => page.textContent(`[data-live-stat="${key}"] .stat-number`);
    expect(await stat("asked")).toBe(String(counts.asked));
    expect(await stat("ended")).toBe(String(counts.ended));
    expect(await stat("abandoned")).toBe(String(counts.abandoned));
    const abandonedRow = await page.textContent('[data-report="live"] tr:has-text("Waited before leaving")');
    expect(abandonedRow).toMatch(/\d+ s/);
    const table = await page.textContent('[data-report="live"] table');
    expect(table).toContain("Queue wait");
    expect(table).toContain("Handle time");
    // The live section stays inside the phone's width (the other sections are the reports screen's own).
    expect(await overflowIn(page, '[data-report="live"]')).toEqual([]);
    await page.screenshot({ path: join(artifacts, "live-report-en.png"), fullPage: true });
    await page.close();
  }, 60_000);
});
