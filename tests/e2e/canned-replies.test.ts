import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachments, messages, users } from "../../drizzle/schema/index.js";
import { createCannedReply, createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/** The composer's "/" picker of canned replies, and their management screen in Settings. */
describe.skipIf(!hasChromium)("canned replies in the Mini App", () => {
  let app: MiniAppBrowser;
  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("opens a search picker on '/', fills the composer with the rendered reply and sends it with its file", async () => {
    const db = app.db.db;
    const [requester] = await db
      .insert(users)
      .values({ telegramId: 4_200_001, firstName: "Sara", language: "ru" })
      .returning();
    const category = (await db.query.categories.findFirst())?.id ?? "";
    const ticket = await createTicket({
      ctx: app.contexts.forUser(requester),
      input: { title: "Printer jam", categoryId: category },
    });
    const system = app.contexts.forSystem();
    await createCannedReply({
      ctx: system,
      input: { scope: "global", title: "Greeting", bodies: { en: "Hello {requester.first_name}" } },
    });
    await createCannedReply({
      ctx: system,
      input: {
        scope: "global",
        title: "Printer manual",
        bodies: {
          en: "Manual for {ticket.number}",
          ru: "Инструкция к {ticket.number}, {requester.first_name}",
        },
        files: [
          {
            kind: "document",
            fileName: "manual.pdf",
            mimeType: "application/pdf",
            sizeBytes: 5,
            tgFileId: "BQACmanual",
          },
        ],
      },
    });

    const page = await app.openAs(4_200_002, "en", LIGHT, "agent");
    await page.click(`[data-ticket="${ticket.number}"]`);
    const box = page.locator(".composer textarea");
    await box.waitFor();
    await box.fill("/");
    const options = page.locator(".canned-picker .canned-option");
    await options.first().waitFor();
    expect(await options.allTextContents()).toEqual([
      expect.stringContaining("Greeting"),
      expect.stringContaining("Printer manual"),
    ]);
    // Filter as one types (the body counts too), then choose with the keyboard.
    await box.pressSequentially("инструк");
    await page.waitForFunction(() => document.querySelectorAll(".canned-picker .canned-option").length === 1);
    await box.press("Enter");
    const rendered = `Инструкция к ${ticket.number}, Sara`;
    await page.waitForFunction((text) => document.querySelector("textarea")?.value === text, rendered);
    expect(await page.locator(".canned-picker").count()).toBe(0);
    expect(await page.locator(".canned-chosen").textContent()).toContain("1 file");
    await page.screenshot({ path: join(artifacts, "canned-picker.png"), fullPage: true });

    await page.locator(".composer-row button", { hasText: "Send" }).click();
    await page.waitForFunction(() => document.querySelector("textarea")?.value === "");
    const stored = await db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    const sent = stored.find((m) => m.body === rendered);
    expect(sent?.source).toBe("miniapp");
    const files = await db
      .select()
      .from(attachments)
      .where(eq(attachments.messageId, sent?.id ?? ""));
    expect(files.map((f) => f.tgFileId)).toEqual(["BQACmanual"]);

    // Esc closes the picker; the "/" stays as typed text.
    await box.fill("/gre");
    await options.first().waitFor();
    await box.press("Escape");
    expect(await page.locator(".canned-picker").count()).toBe(0);
    expect(await box.inputValue()).toBe("/gre");
    await page.close();
  }, 90_000);

  it("lets an agent create a personal reply in Settings, but not a global one", async () => {
    const page = await app.openAs(4_200_003, "en", LIGHT, "agent");
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("button", { name: "New canned reply" }).click();
    // An agent manages only their own: no scope to pick.
    expect(await page.getByLabel("Who can use it").count()).toBe(0);
    await page.getByLabel("Title").fill("Thanks");
    await page.getByLabel("Text in English").fill("Thank you, {requester.first_name}!");
    await page.getByRole("button", { name: "Save" }).click();
    // A new reply stays open for its files; Cancel goes back to the list.
    await page.getByLabel("Add files").waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator('[data-canned="Thanks"]').waitFor();
    expect(await page.locator('[data-canned="Thanks"]').textContent()).toContain("Only me");
    await page.close();
  }, 60_000);
});
