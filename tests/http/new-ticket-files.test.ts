import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attachments, settings } from "../../drizzle/schema/index.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll, setupFakeTelegram } from "../jobs/outbox-harness.js";
import { setupApi } from "./http-harness.js";

/** A ticket opened in the Mini App with files: kept with the ticket, and relayed to staff whole. */
const STAFF = -1007300;
const dataDir = mkdtempSync(join(tmpdir(), "new-ticket-files-"));
const world = setupTestWorld();
const api = setupApi(world, { dataDir });
const fakeTelegram = setupFakeTelegram();
let w: World;
beforeAll(async () => {
  w = world();
  await w.db.insert(settings).values({ key: "staff_chat_id", value: STAFF });
});

const png = () => new File([new Uint8Array([137, 80, 78, 71, 1])], "screen.png", { type: "image/png" });
const pdf = () => new File(["%PDF-1.7 wiring"], "wiring.pdf", { type: "application/pdf" });

async function openWithFiles(token: string, files: File[], extra: Record<string, string> = {}) {
  const form = new FormData();
  form.set("title", "Projector shows nothing");
  form.set("description", "Since this morning; the cable is new.");
  form.set("categoryId", await w.categoryId());
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  for (const f of files) form.append("files", f);
  return api().app.request("/api/tickets", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

describe("POST /api/tickets with files", () => {
  it("keeps the files with the ticket in the order given, and staff get the card with the description, then each file", async () => {
    const me = await api().login(930_001);
    const res = await openWithFiles(me.accessToken, [png(), pdf()]);
    expect(res.status).toBe(201);
    const ticket = await res.json();
    const files = await w.db
      .select()
      .from(attachments)
      .where(eq(attachments.ticketId, ticket.id))
      .orderBy(asc(attachments.seq));
    expect(files.map((f) => [f.fileName, f.kind, f.messageId])).toEqual([
      ["screen.png", "photo", null],
      ["wiring.pdf", "document", null],
    ]);

    const fake = fakeTelegram();
    const store = createLocalFileStore(dataDir);
    const worker = await deliveryWorker(w.db, fake, { files: store });
    await drainAll(worker, w.db);
    const posts = fake.calls.filter(
      (c) => Number(c.params.chat_id) === STAFF && !c.failure && c.method.startsWith("send"),
    );
    expect(posts.map((c) => c.method)).toEqual(["sendMessage", "sendPhoto", "sendDocument"]);
    expect(String(posts[0].params.text)).toContain("Since this morning; the cable is new.");
    // The bytes went up from the file store, each under its own name.
    expect(posts[1].files[0]).toMatchObject({ fileName: "screen.png" });
    expect(posts[2].files[0].bytes.toString()).toBe("%PDF-1.7 wiring");
  });

  it("refuses a program before the ticket exists, with nothing kept", async () => {
    const me = await api().login(930_002);
    const exe = new File(["MZ"], "setup.exe", { type: "application/x-msdownload" });
    const res = await openWithFiles(me.accessToken, [png(), exe]);
    expect(res.status).toBe(422);
    expect((await res.json()).issues[0]).toMatchObject({ path: "files", code: "file_type" });
    const mine = await api().call(me.accessToken, "GET", "/api/tickets?limit=5");
    expect((await mine.json()).items).toHaveLength(0);
  });

  it("opens one ticket for a double tap with the same Idempotency-Key", async () => {
    const me = await api().login(930_003);
    const send = async () => {
      const form = new FormData();
      form.set("title", "Double tap");
      form.set("categoryId", await w.categoryId());
      form.append("files", pdf());
      return api().app.request("/api/tickets", {
        method: "POST",
        headers: { authorization: `Bearer ${me.accessToken}`, "idempotency-key": "tap-930003" },
        body: form,
      });
    };
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await a.json()).id).toBe((await b.json()).id);
    const mine = await api().call(me.accessToken, "GET", "/api/tickets?limit=5");
    expect((await mine.json()).items).toHaveLength(1);
  });
});
