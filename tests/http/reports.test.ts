import { beforeAll, describe, expect, it } from "vitest";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** /api/reports over HTTP: defaults, scope of a branch auditor, validation, the OpenAPI description. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let auditorToken: string;
let adminToken: string;
let branchId: string;
let otherBranchId: string;

beforeAll(async () => {
  w = world();
  const home = await w.branch();
  const other = await w.branch();
  branchId = home.id;
  otherBranchId = other.id;
  const categoryId = await w.categoryId();
  w.clock.set(new Date("2026-03-10T08:00:00Z"));
  for (const [b, n] of [
    [home.id, 2],
    [other.id, 3],
  ] as const) {
    const requester = await w.user("requester", { branchId: b });
    for (let i = 0; i < n; i++)
      await createTicket({ ctx: w.ctx(requester), input: { title: `Ticket ${i}`, categoryId } });
  }
  const auditor = await w.user("auditor", { branchId: home.id });
  const admin = await w.user("admin");
  auditorToken = (await api().login(auditor.telegramId)).accessToken;
  adminToken = (await api().login(admin.telegramId)).accessToken;
});

describe("GET /api/reports/*", () => {
  it("answers with the last 30 days by default, counting only the branch auditor's branch", async () => {
    const res = await api().call(auditorToken, "GET", "/api/reports/volume");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      range: { from: string; to: string };
      buckets: unknown[];
      totals: { created: number };
    };
    expect(body.range).toMatchObject({ from: "2026-02-09", to: "2026-03-10" });
    expect(body.buckets).toHaveLength(30);
    expect(body.totals.created).toBe(2);
    const other = await api().call(auditorToken, "GET", `/api/reports/volume?branchId=${otherBranchId}`);
    expect(((await other.json()) as { totals: { created: number } }).totals.created).toBe(0);
    const admin = await api().call(adminToken, "GET", `/api/reports/volume?branchId=${otherBranchId}`);
    expect(((await admin.json()) as { totals: { created: number } }).totals.created).toBe(3);
  });

  it("breaks down by priority within the scope", async () => {
    const res = await api().call(
      auditorToken,
      "GET",
      `/api/reports/breakdown?by=priority&branchId=${branchId}`,
    );
    expect(await res.json()).toMatchObject({
      rows: [{ key: "normal", created: 2, open: 2 }],
      totals: { created: 2 },
    });
  });

  it("refuses bad parameters with 422 and field issues", async () => {
    const res = await api().call(adminToken, "GET", "/api/reports/timings?from=2026-03-05&to=2026-03-01");
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: "VALIDATION",
      issues: [{ path: "to", code: "range_order" }],
    });
    expect((await api().call(adminToken, "GET", "/api/reports/breakdown?by=colour")).status).toBe(422);
  });

  it("describes every report with its query parameters in /api/openapi.json", async () => {
    const doc = (await (await api().app.request("/api/openapi.json")).json()) as {
      paths: Record<string, { get: { parameters?: { name: string }[] } }>;
    };
    for (const name of ["volume", "timings", "sla", "csat", "agents"])
      expect(doc.paths[`/api/reports/${name}`].get.parameters?.map((p) => p.name)).toEqual(
        expect.arrayContaining(["from", "to", "interval", "branchId", "categoryId", "priority", "labelId"]),
      );
    expect(doc.paths["/api/reports/breakdown"].get.parameters?.map((p) => p.name)).toContain("by");
  });
});
