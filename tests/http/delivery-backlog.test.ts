import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, users } from "../../drizzle/schema/index.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * GET /api/notifications/backlog through the door, signed in with initData: an
 * admin sees the chats delivery is behind on, as JSON the Mini App draws.
 */
const world = setupTestWorld();
const api = setupApi(world);
let admin: { accessToken: string; user: { id: string } };
let agent: { accessToken: string };

beforeAll(async () => {
  const w = world();
  admin = await api().login(951_001, "en");
  agent = await api().login(951_002, "en");
  await w.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.user.id));
  await w.db.update(users).set({ role: "agent" }).where(eq(users.telegramId, 951_002));
});

describe("GET /api/notifications/backlog", () => {
  it("answers an admin with the chats behind, worst first; an agent with 403", async () => {
    const w = world();
    const empty = await api().call(admin.accessToken, "GET", "/api/notifications/backlog");
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual([]);

    // The agent's own private chat has waited 5 minutes; a staff group 2 seconds.
    for (const [chatId, ageS, n] of [
      [951_002, 300, 0],
      [951_002, 20, 1],
      [-100951, 2, 2],
    ] as const)
      await w.db.insert(notifications).values({
        chatId,
        type: "system",
        idempotencyKey: `http-backlog-${n}`,
        createdAt: sql`now() - make_interval(secs => ${ageS})`,
      });

    const res = await api().call(admin.accessToken, "GET", "/api/notifications/backlog");
    expect(res.status).toBe(200);
    const chats = await res.json();
    expect(chats).toMatchObject([
      { chatId: 951_002, isGroup: false, queued: 2, behind: true, user: { firstName: expect.any(String) } },
      { chatId: -100951, isGroup: true, queued: 1, behind: false, user: null },
    ]);
    expect(chats[0].lagSeconds).toBeGreaterThanOrEqual(300);
    expect(new Date(chats[0].oldestAt).getTime()).toBeLessThan(Date.now() - 299_000);

    const behind = await api().call(admin.accessToken, "GET", "/api/notifications/backlog?minLagSeconds=120");
    expect((await behind.json()).map((c: { chatId: number }) => c.chatId)).toEqual([951_002]);

    const refused = await api().call(agent.accessToken, "GET", "/api/notifications/backlog");
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe("FORBIDDEN");
  });

  it("answers a bad query with 422", async () => {
    for (const query of ["limit=0", "limit=x", "minLagSeconds=-5"]) {
      const res = await api().call(admin.accessToken, "GET", `/api/notifications/backlog?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 422 });
    }
  });
});
