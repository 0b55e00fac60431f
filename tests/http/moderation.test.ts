import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** PUT /api/users/:id/moderation (ban, shadow-ban, unban) through the HTTP door. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let north: string;
let south: string;

async function as(
  telegramId: number,
  role: "requester" | "agent" | "moderator" | "admin",
  branchId?: string,
) {
  const s = await api().login(telegramId, "en");
  await w.db
    .update(users)
    .set({ role, branchId: branchId ?? null })
    .where(eq(users.id, s.user.id));
  return s;
}
const moderate = (token: string, userId: string, body: unknown) =>
  api().call(token, "PUT", `/api/users/${userId}/moderation`, body);

beforeAll(async () => {
  w = world();
  north = (await w.branch("mod_north")).id;
  south = (await w.branch("mod_south")).id;
});

describe("PUT /api/users/:id/moderation", () => {
  it("lets a moderator ban and shadow-ban requesters of their scope, audited with the reason", async () => {
    const moderator = await as(950_001, "moderator", north);
    const customer = await as(950_002, "requester", north);
    const res = await moderate(moderator.accessToken, customer.user.id, { state: "banned", reason: "spam" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: customer.user.id, moderation: "banned" });
    const shadow = await moderate(moderator.accessToken, customer.user.id, { state: "shadow" });
    expect((await shadow.json()).moderation).toBe("shadow");
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, customer.user.id));
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual(
      expect.arrayContaining([
        ["user.moderate.banned", { moderation: "none" }, { moderation: "banned", reason: "spam" }],
        ["user.moderate.shadow", { moderation: "banned" }, { moderation: "shadow" }],
      ]),
    );
    // GET /api/users/:id shows the state to the people screens.
    const read = await api().call(moderator.accessToken, "GET", `/api/users/${customer.user.id}`);
    expect((await read.json()).moderation).toBe("shadow");
  });

  it("refuses agents and requesters, another branch's requester, staff targets, and bad input — changing nothing", async () => {
    const moderator = await as(950_011, "moderator", north);
    const admin = await as(950_012, "admin");
    const agent = await as(950_013, "agent", north);
    const customer = await as(950_014, "requester", north);
    const elsewhere = await as(950_015, "requester", south);
    const cases: Array<[string, string, unknown, number]> = [
      [agent.accessToken, customer.user.id, { state: "banned" }, 403],
      [customer.accessToken, elsewhere.user.id, { state: "banned" }, 403],
      [moderator.accessToken, elsewhere.user.id, { state: "banned" }, 403],
      [admin.accessToken, agent.user.id, { state: "banned" }, 403],
      [moderator.accessToken, customer.user.id, { state: "gone" }, 422],
      [moderator.accessToken, customer.user.id, { state: "banned", userId: elsewhere.user.id }, 422],
      [admin.accessToken, "00000000-0000-4000-8000-000000000000", { state: "banned" }, 404],
    ];
    for (const [token, userId, body, status] of cases)
      expect([userId, (await moderate(token, userId, body)).status]).toEqual([userId, status]);
    const rows = await w.db
      .select({ m: users.moderation })
      .from(users)
      .where(inArray(users.id, [customer.user.id, elsewhere.user.id, agent.user.id]));
    expect(rows.map((r) => r.m)).toEqual(["none", "none", "none"]);
    // An admin may ban anyone's requester.
    expect((await moderate(admin.accessToken, elsewhere.user.id, { state: "banned" })).status).toBe(200);
  });

  it("shuts a banned requester out of the API (403, translated) until unbanned; a shadow-ban does not", async () => {
    const admin = await as(950_021, "admin");
    const customer = await as(950_022, "requester");
    const mine = () => api().call(customer.accessToken, "GET", "/api/tickets");
    expect((await mine()).status).toBe(200);
    await moderate(admin.accessToken, customer.user.id, { state: "banned" });
    const refused = await mine();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      code: "FORBIDDEN",
      message: "Your account is banned from this helpdesk.",
    });
    await moderate(admin.accessToken, customer.user.id, { state: "shadow" });
    expect((await mine()).status).toBe(200);
    await moderate(admin.accessToken, customer.user.id, { state: "none" });
    expect((await mine()).status).toBe(200);
  });

  it("is described in /api/openapi.json", async () => {
    const doc = await (await api().app.request("/api/openapi.json")).json();
    const put = doc.paths["/api/users/{id}/moderation"].put;
    expect(put.requestBody.content["application/json"].schema.properties.state.enum).toEqual([
      "none",
      "banned",
      "shadow",
    ]);
  });
});
