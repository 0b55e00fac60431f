import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categories, ticketRatings, users } from "../../drizzle/schema/index.js";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  DARK,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/** A requester rates a resolved ticket in the Mini App (Persian, dark); staff then see the rating. */
describe.skipIf(!hasChromium)("rating a resolved ticket in the Mini App", () => {
  let app: MiniAppBrowser;
  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("takes the requester's stars and comment, and shows them to staff", async () => {
    const db = app.db.db;
    const first = await app.openAs(6_100_001, "fa", DARK, "requester");
    await first.close();
    const [requester] = await db.select().from(users).where(eq(users.telegramId, 6_100_001));
    const [agent] = await db
      .insert(users)
      .values({ telegramId: 6_100_002, firstName: "Sara", role: "agent", language: "en" })
      .returning();
    const [category] = await db.select().from(categories).where(eq(categories.code, "network"));
    const ticket = await createTicket({
      ctx: app.contexts.forUser(requester),
      input: { title: "اینترنت کلاس ۴", categoryId: category.id },
    });
    await changeTicketStatus({
      ctx: app.contexts.forUser(agent),
      input: { ticketId: ticket.id, status: "resolved" },
    });

    const page = await app.openAs(6_100_001, "fa", DARK, "requester", `t_${ticket.number}`);
    await page.waitForSelector('.ticket-title:has-text("اینترنت کلاس ۴")');
    expect(await page.textContent(".rating")).toContain("چقدر از پشتیبانی راضی هستید؟");
    await page.click('.rating button[aria-label="4 از ۵"]');
    await page.waitForSelector('.rating button[aria-pressed="true"][aria-label="4 از ۵"]');
    await page.fill('.rating input[aria-label="نظری درباره امتیازتان"]', "سریع و دقیق");
    await page.click('.rating button:has-text("ثبت نظر")');
    await page.waitForFunction(
      () => (document.querySelector(".rating input") as HTMLInputElement | null)?.value === "سریع و دقیق",
    );
    await page.screenshot({ path: join(artifacts, "rating-fa.png") });
    await page.close();
    await expect
      .poll(
        async () =>
          (await db.select().from(ticketRatings).where(eq(ticketRatings.ticketId, ticket.id)))[0]?.comment,
      )
      .toBe("سریع و دقیق");
    const [rating] = await db.select().from(ticketRatings).where(eq(ticketRatings.ticketId, ticket.id));
    expect(rating).toMatchObject({ resolution: 1, score: 4 });

    const staff = await app.openAs(6_100_003, "en", LIGHT, "moderator", `t_${ticket.number}`);
    await staff.waitForSelector(".rating");
    const shown = await staff.textContent(".rating");
    expect(shown).toContain("Requester's rating: ⭐⭐⭐⭐");
    expect(shown).toContain("سریع و دقیق");
    await staff.close();
  });
});
