import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * GET /api/audit/export and /entities through the door: every matching entry as CSV
 * (more than one batch), in the reader's language, admins only; the summary's
 * attention figures; both described in /api/openapi.json.
 */
const world = setupTestWorld();
const api = setupApi(world);
let admin: { accessToken: string; user: { id: string } };
let adminFa: { accessToken: string; user: { id: string } };
const ENTRIES = 1_005; // more than one export batch (1,000)

beforeAll(async () => {
  const w = world();
  admin = await api().login(960_001, "en");
  adminFa = await api().login(960_002, "fa");
  for (const a of [admin, adminFa])
    await w.db.update(users).set({ role: "admin", firstName: "Admin" }).where(eq(users.id, a.user.id));
  const base = Date.parse("2026-03-01T00:00:00Z");
  await w.db.insert(auditLog).values(
    Array.from({ length: ENTRIES }, (_, i) => ({
      actorId: admin.user.id,
      action: "widget.update",
      entity: "widget",
      // The first is a formula a spreadsheet would run, and must not.
      entityId: i === 0 ? "=HYPERLINK(1)" : `w${i}`,
      before: { n: i },
      after: { n: i + 1, note: 'said "hi", then left' },
      createdAt: new Date(base + i * 60_000),
    })),
  );
  await w.db.insert(auditLog).values({
    actorId: adminFa.user.id,
    action: "setting.update",
    entity: "setting",
    entityId: "x",
    after: 1,
  });
});

const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .filter(Boolean);

describe("GET /api/audit/export", () => {
  it("gives every entry the filters match as CSV with a BOM, newest first, past the first batch", async () => {
    const res = await api().call(admin.accessToken, "GET", "/api/audit/export?entity=widget");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM, which res.text() would drop
    const text = new TextDecoder().decode(bytes);
    const rows = csvRows(text);
    expect(rows[0]).toBe("When,Who,Action,Entity,Entity id,Before,After");
    expect(rows.length).toBe(ENTRIES + 1);
    // Newest first: the last entry written (n = 1004) leads; Tehran wall time (+03:30).
    expect(rows[1]).toBe(
      `2026-03-01 20:14:00,Admin (${admin.user.id}),widget.update,widget,w1004,"{""n"":1004}","{""n"":1005,""note"":""said \\""hi\\"", then left""}"`,
    );
    expect(rows[ENTRIES]).toContain(",'=HYPERLINK(1),");
  });

  it("applies the list's filters (actor, days) and answers in the reader's language", async () => {
    const res = await api().call(
      adminFa.accessToken,
      "GET",
      `/api/audit/export?actorId=${admin.user.id}&from=2026-03-01T00:00:00Z&to=2026-03-01T00:03:00Z`,
    );
    const rows = csvRows(await res.text());
    expect(rows[0]).toBe("زمان,چه کسی,کار,موجودیت,شناسه,قبل,بعد");
    expect(rows.slice(1).map((r) => r.split(",")[4])).toEqual(["w2", "w1", "'=HYPERLINK(1)"]);
  });

  it("refuses staff who are not admins, and a bad filter", async () => {
    const w = world();
    const auditor = await w.user("auditor");
    const token = (await api().login(auditor.telegramId)).accessToken;
    expect((await api().call(token, "GET", "/api/audit/export")).status).toBe(403);
    expect((await api().call(token, "GET", "/api/audit/entities")).status).toBe(403);
    expect((await api().call(admin.accessToken, "GET", "/api/audit/export?from=yesterday")).status).toBe(422);
  });
});

describe("GET /api/audit/entities", () => {
  it("lists each entity kind once, in order", async () => {
    const res = await api().call(admin.accessToken, "GET", "/api/audit/entities");
    expect(res.status).toBe(200);
    const kinds: string[] = await res.json();
    expect(kinds).toEqual([...kinds].sort());
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toEqual(expect.arrayContaining(["setting", "widget"]));
  });
});

describe("the OpenAPI description", () => {
  it("describes the export and the entities", async () => {
    const doc = await (await api().app.request("/api/openapi.json")).json();
    const names = (doc.paths["/api/audit/export"].get.parameters as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["actorId", "entity", "from", "to"]));
    expect(names).not.toContain("limit");
    expect(doc.paths["/api/audit/entities"].get.summary).toMatch(/entity kinds/);
  });
});

describe("GET /api/reports/summary", () => {
  it("answers today's figures and what needs attention", async () => {
    const res = await api().call(admin.accessToken, "GET", "/api/reports/summary");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      createdToday: 0,
      resolvedToday: 0,
      attention: { unassigned: 0, atRisk: 0, breached: 0, oldestWaiting: null },
    });
  });
});
