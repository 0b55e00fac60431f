import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, notifications } from "../../drizzle/schema/index.js";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { createLocalFileStore } from "../../server/files/local-store.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { hasPdfToText, pdfText } from "../helpers/pdf-text.js";
import { drainAll, outboxWorker, setupFakeTelegram, telegramDeliverer } from "../jobs/outbox-harness.js";
import { setupApi } from "./http-harness.js";

/**
 * PDF exports read back with poppler's pdftotext: Persian comes out in reading order
 * (shaped, right to left), English and Russian too; and a report file sent to a chat
 * through the outbox with sendDocument.
 */
const dataDir = mkdtempSync(join(tmpdir(), "report-pdf-"));
const world = setupTestWorld();
const api = setupApi(world, { dataDir });
const fakeTelegram = setupFakeTelegram();
let w: World;
let faToken: string;
let enToken: string;
let ruToken: string;
let agentToken: string;
let adminChat: number;
let branchId: string;

beforeAll(async () => {
  w = world();
  branchId = (await w.branch()).id;
  const categoryId = await w.categoryId();
  const requester = await w.user("requester", { branchId });
  const agent = await w.user("agent", { branchId, language: "fa" });
  w.clock.set(new Date("2026-03-10T08:00:00Z"));
  for (const title of ["چاپگر طبقه دوم خراب است", "Projector (room 12) is broken"])
    await createTicket({ ctx: w.ctx(requester), input: { title, categoryId } });
  const [first] = await w.db.query.tickets.findMany({ where: (t, { eq }) => eq(t.branchId, branchId) });
  await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: first.id, status: "resolved" } });
  const fa = await w.user("admin", { language: "fa" });
  adminChat = fa.telegramId;
  faToken = (await api().login(fa.telegramId, "fa")).accessToken;
  enToken = (await api().login((await w.user("admin")).telegramId)).accessToken;
  ruToken = (await api().login((await w.user("auditor", { language: "ru" })).telegramId, "ru")).accessToken;
  agentToken = (await api().login(agent.telegramId, "fa")).accessToken;
});

const get = async (token: string, path: string) => {
  const res = await api().call(token, "GET", path);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
};

describe("GET /api/reports/export/:name?format=pdf", () => {
  it.runIf(hasPdfToText)(
    "gives a Persian reader a shaped, right-to-left PDF whose text reads in logical order",
    async () => {
      const { res, bytes } = await get(
        faToken,
        `/api/reports/export/tickets?format=pdf&branchId=${branchId}&sort=created_asc`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="tickets-2026-03-10.pdf"');
      expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
      const text = pdfText(bytes, dataDir);
      expect(text).toContain("چاپگر طبقه دوم خراب است");
      // A Latin title with brackets inside a right-to-left page keeps its own order.
      expect(text).toContain("Projector (room 12) is broken");
      // Statuses in Persian words, numbers in Persian digits.
      expect(text).toContain("حلشده");
      expect(text).toContain("۲۰۲۶-۰۳-۱۰");
      // The embedded font is Vazirmatn (a subset), not a system font.
      expect(Buffer.from(bytes).toString("latin1")).toMatch(/\/BaseFont \/[A-Z]{6}\+Vazirmatn/);
    },
  );

  it.runIf(hasPdfToText)("writes a report's tables with totals in English and in Russian", async () => {
    const en = await get(
      enToken,
      `/api/reports/export/volume?format=pdf&from=2026-03-09&to=2026-03-10&branchId=${branchId}`,
    );
    expect(en.res.status).toBe(200);
    expect(en.res.headers.get("content-disposition")).toBe(
      'attachment; filename="volume-2026-03-09_2026-03-10.pdf"',
    );
    const text = pdfText(en.bytes, dataDir);
    expect(text).toContain("Tickets — 2026-03-09 – 2026-03-10");
    expect(text).toMatch(/Created/);
    expect(text).toMatch(/Total/);
    const ru = pdfText((await get(ruToken, "/api/reports/export/timings?format=pdf")).bytes, dataDir);
    expect(ru).toContain("Первый ответ");
  });

  it("refuses a requester as the other formats do", async () => {
    const requester = await w.user("requester");
    const token = (await api().login(requester.telegramId)).accessToken;
    expect((await api().call(token, "GET", "/api/reports/export/volume?format=pdf")).status).toBe(403);
  });
});

describe("POST /api/reports/export/:name/send", () => {
  it("queues the file for a chat, and the outbox posts it with sendDocument", async () => {
    const res = await api().call(
      faToken,
      "POST",
      `/api/reports/export/volume/send?format=pdf&from=2026-03-09&to=2026-03-10`,
      { chatId: adminChat },
    );
    expect(res.status).toBe(202);
    const sent = (await res.json()) as { notificationId: string; fileName: string };
    expect(sent.fileName).toBe("volume-2026-03-09_2026-03-10.pdf");
    const [row] = await w.db.select().from(notifications).where(eq(notifications.id, sent.notificationId));
    expect(row.chatId).toBe(adminChat);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.action, "report.send"));
    expect(audit).toHaveLength(1);

    const fake = fakeTelegram();
    const files = createLocalFileStore(dataDir);
    const worker = outboxWorker(w.db, await telegramDeliverer(w.db, fake, undefined, files));
    await drainAll(worker, w.db);
    const docs = fake.callsOf("sendDocument").filter((c) => Number(c.params.chat_id) === adminChat);
    expect(docs).toHaveLength(1);
    expect(docs[0].files[0]).toMatchObject({
      field: "document",
      fileName: "volume-2026-03-09_2026-03-10.pdf",
    });
    if (hasPdfToText) expect(pdfText(new Uint8Array(docs[0].files[0].bytes), dataDir)).toContain("تیکتها");
    expect(String(docs[0].params.caption)).toContain("۲۰۲۶-۰۳-۰۹");
    const [done] = await w.db.select().from(notifications).where(eq(notifications.id, sent.notificationId));
    expect(done.state).toBe("sent");
  });

  it("refuses non-admins, chats the bot does not post to, and no staff chat", async () => {
    const send = (token: string, body: unknown) =>
      api().call(token, "POST", "/api/reports/export/csat/send", body);
    expect((await send(agentToken, { chatId: adminChat })).status).toBe(403);
    const stranger = await send(faToken, { chatId: -100999888 });
    expect(stranger.status).toBe(422);
    // The harness has no staff chat: none named is refused the same way.
    expect((await send(faToken, {})).status).toBe(422);
  });
});
