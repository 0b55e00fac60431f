import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { liveChats, tickets } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * The live chat section of the reports (queue wait, handle time, abandoned chats) as
 * CSV, XLSX and PDF, like every other report: GET /api/reports/export/live.
 */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let faToken: string;
let enToken: string;
let ruToken: string;
let requesterToken: string;
let branchId: string;

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  w = world();
  branchId = (await w.branch()).id;
  const otherBranch = (await w.branch()).id;
  const categoryId = await w.categoryId();
  const requester = await w.user("requester", { branchId });
  const operator = await w.user("agent", { branchId });
  w.clock.set(at("2026-03-12T08:00:00Z"));
  let n = 0;
  // Three chats in the branch on 10 March (Tehran), one in another branch the same day.
  const chat = async (
    branch: string,
    values: { state: string; queuedAt: string; acceptedAt?: string; endedAt?: string },
  ) => {
    // One open chat per requester: each chat has its own.
    const asker = await w.user("requester", { branchId: branch });
    const [ticket] = await w.db
      .insert(tickets)
      .values({
        number: `L-${++n}`,
        title: "live",
        channel: "live",
        categoryId,
        branchId: branch,
        requesterId: asker.id,
        createdAt: at(values.queuedAt),
      })
      .returning();
    await w.db.insert(liveChats).values({
      ticketId: ticket.id,
      requesterId: asker.id,
      categoryId,
      branchId: branch,
      state: values.state as never,
      queuedAt: at(values.queuedAt),
      operatorId: values.acceptedAt ? operator.id : null,
      acceptedAt: values.acceptedAt ? at(values.acceptedAt) : null,
      endedAt: values.endedAt ? at(values.endedAt) : null,
    });
  };
  // Waited 30 s and talked 10 min; waited 90 s and still talking; left after 4 min.
  await chat(branchId, {
    state: "ended",
    queuedAt: "2026-03-10T06:00:00Z",
    acceptedAt: "2026-03-10T06:00:30Z",
    endedAt: "2026-03-10T06:10:30Z",
  });
  await chat(branchId, {
    state: "active",
    queuedAt: "2026-03-10T07:00:00Z",
    acceptedAt: "2026-03-10T07:01:30Z",
  });
  await chat(branchId, {
    state: "abandoned",
    queuedAt: "2026-03-10T08:00:00Z",
    endedAt: "2026-03-10T08:04:00Z",
  });
  await chat(otherBranch, { state: "queued", queuedAt: "2026-03-10T09:00:00Z" });
  faToken = (await api().login((await w.user("agent", { branchId, language: "fa" })).telegramId)).accessToken;
  enToken = (await api().login((await w.user("admin")).telegramId)).accessToken;
  ruToken = (await api().login((await w.user("auditor", { branchId, language: "ru" })).telegramId))
    .accessToken;
  requesterToken = (await api().login(requester.telegramId)).accessToken;
});

const get = (token: string, path: string) => api().call(token, "GET", path);
const range = "from=2026-03-10&to=2026-03-10";

describe("GET /api/reports/export/live", () => {
  it("writes the live chat figures as CSV in the reader's language and scope", async () => {
    const res = await get(enToken, `/api/reports/export/live?format=csv&${range}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="live-2026-03-10_2026-03-10.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3)).split("\r\n")).toEqual([
      "Live chat",
      "Asked,Talked and ended,Open,Left the queue",
      "4,1,2,1",
      "",
      "Live chat times",
      "Measure,Count,Median (min),90th percentile (min),Average (min)",
      "queue_wait,2,1,1.4,1",
      "handle_time,1,10,10,10",
      "abandoned_after,1,4,4,4",
      "",
    ]);
    // A branch's agent sees the branch's three chats, in Persian.
    const fa = (await (await get(faToken, `/api/reports/export/live?${range}`)).text()).split("\r\n");
    expect(fa[0]).toBe("گفتگوی زنده");
    expect(fa[1]).toBe("درخواست‌شده,انجام و پایان‌یافته,باز,ترک صف");
    expect(fa[2]).toBe("3,1,1,1");
  });

  it("writes a workbook with a sheet per table and typed cells", async () => {
    const res = await get(ruToken, `/api/reports/export/live?format=xlsx&${range}&branchId=${branchId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(["Живой чат", "Время в живом чате"]);
    const [counts, times] = book.worksheets;
    expect(counts.getRow(1).values).toEqual([
      undefined,
      "Запрошено",
      "Проведено и завершено",
      "Открыто",
      "Ушли из очереди",
    ]);
    expect(counts.getRow(2).values).toEqual([undefined, 3, 1, 1, 1]);
    expect(times.getRow(2).values).toEqual([undefined, "queue_wait", 2, 1, 1.4, 1]);
    expect(typeof times.getCell("C3").value).toBe("number");
  });

  it("writes a PDF with the figures in the reader's words", async () => {
    const res = await get(enToken, `/api/reports/export/live?format=pdf&${range}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const dir = mkdtempSync(join(tmpdir(), "live-pdf-"));
    const file = join(dir, "live.pdf");
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
    expect(text).toContain("Live chat");
    expect(text).toMatch(/Queue wait\s+2\s+1\s+1\.4\s+1/);
    expect(text).toMatch(/Waited before leaving\s+1\s+4\s+4\s+4/);
  });

  it("refuses requesters", async () => {
    expect((await get(requesterToken, `/api/reports/export/live?${range}`)).status).toBe(403);
  });
});
