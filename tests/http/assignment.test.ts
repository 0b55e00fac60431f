import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** /api/assignment-policies, away for oneself and an agent's capacity through the HTTP door. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let admin: string;
let agent: string;
let agentId: string;
let requester: string;

const as = async (telegramId: number, role: "admin" | "agent" | "requester") => {
  const s = await api().login(telegramId, "en");
  await w.db.update(users).set({ role }).where(eq(users.id, s.user.id));
  return s;
};

beforeAll(async () => {
  w = world();
  admin = (await as(950_001, "admin")).accessToken;
  const a = await as(950_002, "agent");
  [agent, agentId] = [a.accessToken, a.user.id];
  requester = (await as(950_003, "requester")).accessToken;
});

describe("auto-assignment over HTTP", () => {
  it("lets admins set a scope's policy (one row per scope, audited) and delete it", async () => {
    const branchId = (await w.branch()).id;
    const body = { branchId, strategy: "least_busy", capacity: 4 };
    expect((await api().call(agent, "PUT", "/api/assignment-policies", body)).status).toBe(403);
    const first = await (await api().call(admin, "PUT", "/api/assignment-policies", body)).json();
    const again = await api().call(admin, "PUT", "/api/assignment-policies", {
      ...body,
      strategy: "round_robin",
    });
    expect(await again.json()).toMatchObject({
      id: first.id,
      strategy: "round_robin",
      capacity: 4,
      categoryId: null,
    });
    const bad = await api().call(admin, "PUT", "/api/assignment-policies", { ...body, strategy: "random" });
    expect(bad.status).toBe(422);
    const listed = (await (await api().call(agent, "GET", "/api/assignment-policies")).json()) as {
      id: string;
    }[];
    expect(listed.filter((p) => p.id === first.id)).toHaveLength(1);
    const audit = await w.db.select().from(auditLog).where(eq(auditLog.entityId, first.id));
    expect(audit.map((a) => a.action).sort()).toEqual([
      "assignment_policy.create",
      "assignment_policy.update",
    ]);
    expect((await api().call(admin, "DELETE", `/api/assignment-policies/${first.id}`)).status).toBe(204);
    expect((await api().call(admin, "DELETE", `/api/assignment-policies/${first.id}`)).status).toBe(404);
  });

  it("lets staff mark themselves away and back, and admins set an agent's capacity", async () => {
    const away = await api().call(agent, "PATCH", "/api/users/me/preferences", { away: true });
    expect(await away.json()).toMatchObject({ away: true });
    expect(
      ((await (await api().call(agent, "GET", "/api/auth/me")).json()) as { user: { away: boolean } }).user
        .away,
    ).toBe(true);
    const back = await api().call(agent, "PATCH", "/api/users/me/preferences", { away: false });
    expect(await back.json()).toMatchObject({ away: false });
    expect((await api().call(requester, "PATCH", "/api/users/me/preferences", { away: true })).status).toBe(
      403,
    );

    const set = await api().call(admin, "PATCH", `/api/users/${agentId}`, { maxOpenTickets: 7 });
    expect(await set.json()).toMatchObject({ maxOpenTickets: 7 });
    const cleared = await api().call(admin, "PATCH", `/api/users/${agentId}`, { maxOpenTickets: null });
    expect(await cleared.json()).toMatchObject({ maxOpenTickets: null });
    expect((await api().call(admin, "PATCH", `/api/users/${agentId}`, { maxOpenTickets: 0 })).status).toBe(
      422,
    );
    expect((await api().call(agent, "PATCH", `/api/users/${agentId}`, { maxOpenTickets: 50 })).status).toBe(
      403,
    );
  });
});
