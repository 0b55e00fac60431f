import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, scheduledJobs, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** /api/sla-policies and /api/business-calendars through the HTTP door, signed in with initData. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let admin: string;
let agent: string;
let requester: string;

const as = async (telegramId: number, role: "admin" | "agent" | "requester", lang = "en") => {
  const s = await api().login(telegramId, lang);
  await w.db.update(users).set({ role }).where(eq(users.id, s.user.id));
  return s.accessToken;
};

beforeAll(async () => {
  w = world();
  admin = await as(940_001, "admin");
  agent = await as(940_002, "agent", "fa");
  requester = await as(940_003, "requester");
});

describe("SLA policies over HTTP", () => {
  it("lists for staff, refuses requesters, and lets admins create, edit and delete", async () => {
    const listed = await api().call(agent, "GET", "/api/sla-policies");
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { priority: string }[]).map((p) => p.priority)).toEqual([
      "critical",
      "high",
      "normal",
      "low",
    ]);
    expect((await api().call(requester, "GET", "/api/sla-policies")).status).toBe(403);

    const body = {
      name: "VPN",
      priority: "critical",
      categoryId: await w.categoryId("network"),
      firstResponseMinutes: 15,
    };
    expect((await api().call(agent, "POST", "/api/sla-policies", body)).status).toBe(403);
    const created = await api().call(admin, "POST", "/api/sla-policies", body);
    expect(created.status).toBe(201);
    const policy = (await created.json()) as { id: string; warnPercent: number };
    expect(policy.warnPercent).toBe(20);
    const again = await api().call(admin, "POST", "/api/sla-policies", body);
    expect(again.status).toBe(409);
    expect((await again.json()).message).toContain("already an SLA policy");

    const patched = await api().call(admin, "PATCH", `/api/sla-policies/${policy.id}`, { warnMinutes: 5 });
    expect(await patched.json()).toMatchObject({ warnMinutes: 5, firstResponseMinutes: 15 });
    const tooLate = await api().call(admin, "PATCH", `/api/sla-policies/${policy.id}`, { warnMinutes: 15 });
    expect(tooLate.status).toBe(422);
    expect((await tooLate.json()).issues).toMatchObject([
      { path: "warnMinutes", code: "warn_not_below_target", limit: 15 },
    ]);

    expect((await api().call(agent, "DELETE", `/api/sla-policies/${policy.id}`)).status).toBe(403);
    expect((await api().call(admin, "DELETE", `/api/sla-policies/${policy.id}`)).status).toBe(204);
    expect((await api().call(admin, "DELETE", `/api/sla-policies/${policy.id}`)).status).toBe(404);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, policy.id));
    expect(audit.map((a) => a.action)).toEqual([
      "sla_policy.create",
      "sla_policy.update",
      "sla_policy.delete",
    ]);
    const [job] = await w.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, "sla_recalc"));
    expect(job.kind).toBe("sla_recalc");
  });
});

describe("business calendars over HTTP", () => {
  it("creates the default calendar from the Iran preset with Jalali holidays", async () => {
    const res = await api().call(admin, "POST", "/api/business-calendars", {
      name: "Iran",
      preset: "iran",
      holidays: ["1405/01/12", { jalali: "1405-01-01" }, "1405/01/12"],
    });
    expect(res.status).toBe(201);
    const cal = (await res.json()) as { id: string; timeZone: string; holidays: string[] };
    expect([cal.timeZone, cal.holidays]).toEqual(["Asia/Tehran", ["2026-03-21", "2026-04-01"]]);
    const list = await api().call(agent, "GET", "/api/business-calendars");
    expect(((await list.json()) as { id: string }[]).map((c) => c.id)).toEqual([cal.id]);
    expect(
      (await api().call(agent, "PATCH", `/api/business-calendars/${cal.id}`, { name: "x" })).status,
    ).toBe(403);
  });

  it("answers a bad zone and interval with 422 and field issues in the caller's language", async () => {
    const res = await api().call(agent, "POST", "/api/business-calendars", {
      name: "Broken",
      timeZone: "Asia/Nowhere",
      week: { "6": [["16:00", "08:00"]] },
      holidays: ["1404/12/30"],
    });
    // Checked at the door, before the role: a malformed body is 422 for anyone.
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.message).toContain("معتبر نیست");
    expect(body.issues.map((i: { path: string; code: string }) => `${i.path}:${i.code}`)).toEqual([
      "timeZone:bad_time_zone",
      "week.6.0:interval_order",
      "holidays.0:bad_date",
    ]);
  });

  it("describes both resources in /api/openapi.json", async () => {
    const doc = (await (await api().app.request("/api/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>
      >;
    };
    expect(Object.keys(doc.paths["/api/business-calendars/{id}"]).sort()).toEqual(["delete", "patch"]);
    const create = doc.paths["/api/sla-policies"].post.requestBody?.content["application/json"].schema;
    expect(Object.keys(create?.properties ?? {})).toContain("firstResponseMinutes");
  });
});
