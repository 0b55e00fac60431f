import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** Exports: CSV with a BOM (Persian readable in Excel), XLSX read back, the ticket list with the queue's filters. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let faToken: string;
let enToken: string;
let requesterToken: string;
let branchId: string;

beforeAll(async () => {
  w = world();
  const b = await w.branch();
  branchId = b.id;
  const categoryId = await w.categoryId();
  const requester = await w.user("requester", { branchId });
  const agent = await w.user("agent", { branchId, language: "fa" });
  w.clock.set(new Date("2026-03-10T08:00:00Z")); // 11:30 in Tehran
  const titles = ["چاپگر خراب است", "=cmd|' /C calc'!A0", 'Comma, "quoted"'];
  for (const title of titles) await createTicket({ ctx: w.ctx(requester), input: { title, categoryId } });
  const [first] = (
    await w.db.query.tickets.findMany({ where: (t, { eq }) => eq(t.branchId, branchId) })
  ).filter((t) => t.title === titles[0]);
  w.clock.set(new Date("2026-03-10T10:00:00Z"));
  await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: first.id, status: "resolved" } });
  faToken = (await api().login(agent.telegramId)).accessToken;
  enToken = (await api().login((await w.user("admin")).telegramId)).accessToken;
  requesterToken = (await api().login(requester.telegramId)).accessToken;
});

const get = (token: string, path: string) => api().call(token, "GET", path);

describe("GET /api/reports/export/:name", () => {
  it("writes a report as CSV: UTF-8 with a BOM, headers in the reader's language, totals", async () => {
    const res = await get(
      faToken,
      `/api/reports/export/volume?format=csv&from=2026-03-09&to=2026-03-10&branchId=${branchId}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="volume-2026-03-09_2026-03-10.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split("\r\n").slice(0, 6)).toEqual([
      "تیکت‌ها",
      "دوره,ایجاد شده,حل شده,بسته شده,بازگشایی شده",
      "2026-03-09,0,0,0,0",
      "2026-03-10,3,1,0,0",
      "جمع,3,1,0,0",
      "",
    ]);
    expect(text).toContain("باز مانده\r\nروز,باز\r\n2026-03-09,0\r\n2026-03-10,2\r\n");
  });

  it("writes the ticket list with the queue's filters as CSV, quoting and defusing formulas", async () => {
    const res = await get(enToken, `/api/reports/export/tickets?branchId=${branchId}&sort=created_asc`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="tickets-2026-03-10.csv"');
    const lines = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Number,Title,Status,Priority,Category,Branch,Requester,Assignee,Labels,SLA,Created at,First response at,Resolved at,Closed at,Rating",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^T-20260310-\d{4},چاپگر خراب است,resolved,normal,[^,]+,Branch b\w+,[^,]+,,,met,2026-03-10 11:30:00,,2026-03-10 13:30:00,,$/,
    );
    expect(lines[2]).toContain(",'=cmd|' /C calc'!A0,open,");
    expect(lines[3]).toContain(',"Comma, ""quoted""",open,');
    const open = await get(enToken, `/api/reports/export/tickets?branchId=${branchId}&status=open`);
    expect((await open.text()).trim().split("\r\n")).toHaveLength(3);
  });

  it("writes XLSX workbooks with a sheet per table, typed numbers and dates", async () => {
    const res = await get(
      enToken,
      `/api/reports/export/volume?format=xlsx&from=2026-03-09&to=2026-03-10&branchId=${branchId}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(["Tickets", "Backlog"]);
    const volume = book.worksheets[0];
    expect(volume.getRow(1).values).toEqual([
      undefined,
      "Period",
      "Created",
      "Resolved",
      "Closed",
      "Reopened",
    ]);
    expect(volume.getCell("A3").value).toEqual(new Date("2026-03-10T00:00:00Z"));
    expect(volume.getCell("B3").value).toBe(3);
    expect(volume.getRow(4).values).toEqual([undefined, "Total", 3, 1, 0, 0]);

    const tickets = await get(
      faToken,
      `/api/reports/export/tickets?format=xlsx&branchId=${branchId}&sort=created_asc`,
    );
    const tb = new ExcelJS.Workbook();
    await tb.xlsx.load(await tickets.arrayBuffer());
    const ws = tb.worksheets[0];
    expect(ws.views[0]?.rightToLeft).toBe(true);
    expect(ws.rowCount).toBe(4);
    expect(ws.getCell("B2").value).toBe("چاپگر خراب است");
    // Dates are the local wall time in TIME_ZONE (11:30 Tehran), typed as dates.
    expect(ws.getCell("K2").value).toEqual(new Date("2026-03-10T11:30:00Z"));
  });

  it("refuses requesters and unknown names", async () => {
    expect((await get(requesterToken, "/api/reports/export/tickets")).status).toBe(403);
    expect((await get(requesterToken, "/api/reports/export/volume?format=xlsx")).status).toBe(403);
    expect((await get(enToken, "/api/reports/export/nothing")).status).toBe(422);
    expect((await get(enToken, "/api/reports/export/volume?format=docx")).status).toBe(422);
  });
});
