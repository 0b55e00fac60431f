import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema/index.js";
import { addTicketMessage, createTicket } from "../../server/domain/index.js";
import {
  artifacts,
  hasChromium,
  LIGHT,
  type MiniAppBrowser,
  startMiniAppBrowser,
} from "../helpers/miniapp-browser.js";

/** A thread's attachments as what they are: a picture shown, a recording played, a place on a map, a phone. */
describe.skipIf(!hasChromium)("attachments in the Mini App's ticket screen", () => {
  let app: MiniAppBrowser;
  beforeAll(async () => {
    app = await startMiniAppBrowser();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("shows a photo in place, plays audio on a tap, links a location to a map and a contact to its phone", async () => {
    const db = app.db.db;
    const [requester] = await db
      .insert(users)
      .values({ telegramId: 4_100_001, firstName: "Sara" })
      .returning();
    const ctx = app.contexts.forUser(requester);
    const category = (await db.query.categories.findFirst())?.id ?? "";
    const ticket = await createTicket({ ctx, input: { title: "Noise in room 4", categoryId: category } });
    // A 1×1 PNG and a short WAV, kept in the file store as Mini App uploads are.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const wav = Buffer.alloc(44 + 800);
    wav.write("RIFF", 0);
    wav.writeUInt32LE(36 + 800, 4);
    wav.write("WAVEfmt ", 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(8000, 28);
    wav.writeUInt16LE(1, 32);
    wav.writeUInt16LE(8, 34);
    wav.write("data", 36);
    wav.writeUInt32LE(800, 40);
    const pngKey = await app.files.put(`${ticket.id}/shot`, png);
    const wavKey = await app.files.put(`${ticket.id}/noise`, wav);
    await addTicketMessage({
      ctx,
      input: {
        ticketId: ticket.id,
        body: "The noise, and where",
        attachments: [
          {
            kind: "photo",
            fileName: "shot.png",
            mimeType: "image/png",
            sizeBytes: png.length,
            storagePath: pngKey,
          },
          {
            kind: "audio",
            fileName: "noise.wav",
            mimeType: "audio/wav",
            sizeBytes: wav.length,
            storagePath: wavKey,
          },
          {
            kind: "location",
            fileName: "Branch 3",
            mimeType: "application/vnd.geo+json",
            sizeBytes: 0,
            meta: { latitude: 35.6997, longitude: 51.338, title: "Branch 3", address: "Azadi St. 12" },
          },
          {
            kind: "contact",
            fileName: "Ali",
            mimeType: "text/vcard",
            sizeBytes: 0,
            meta: { phone: "+989121234567", firstName: "Ali" },
          },
        ],
      },
    });

    const page = await app.openAs(4_100_002, "en", LIGHT, "agent");
    await page.click(`[data-ticket="${ticket.number}"]`);
    const picture = page.locator(".attachment img[alt='shot.png']");
    await picture.waitFor();
    expect(await picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

    await page.getByRole("button", { name: "▶ noise.wav" }).click();
    const audio = page.locator(".attachment audio");
    await audio.waitFor();
    // The player has the recording: its length is known once the browser read the bytes.
    await page.waitForFunction(
      () => (document.querySelector(".attachment audio") as HTMLAudioElement)?.duration > 0,
    );
    expect(await audio.evaluate((a: HTMLAudioElement) => Math.round(a.duration * 10))).toBe(1);

    const map = page.locator(".attachment a[href*='openstreetmap.org']");
    expect(await map.getAttribute("href")).toContain("mlat=35.6997");
    expect(await map.textContent()).toContain("Branch 3 — Azadi St. 12");
    expect(await page.locator(".attachment a[href='tel:+989121234567']").textContent()).toContain("Ali");
    await page.screenshot({ path: join(artifacts, "attachments.png"), fullPage: true });
    await page.close();
  }, 60_000);
});
