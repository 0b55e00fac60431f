import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema/index.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** GET /api/audit through the door: an admin's change is there to read, page by page. */
const world = setupTestWorld();
const api = setupApi(world);
let admin: { accessToken: string; user: { id: string } };

beforeAll(async () => {
  const w = world();
  admin = await api().login(950_001, "en");
  await w.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.user.id));
});

describe("GET /api/audit", () => {
  it("lists an admin's changes newest first, with a cursor to the next page", async () => {
    for (const hours of [24, 48, 72])
      expect(
        (await api().call(admin.accessToken, "PATCH", "/api/settings", { auto_close_hours: hours })).status,
      ).toBe(200);
    const first = await api().call(admin.accessToken, "GET", `/api/audit?actorId=${admin.user.id}&limit=2`);
    expect(first.status).toBe(200);
    const page = await first.json();
    expect(page.items.map((e: { after: unknown }) => e.after)).toEqual([72, 48]);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await api().call(
      admin.accessToken,
      "GET",
      `/api/audit?actorId=${admin.user.id}&limit=2&cursor=${page.nextCursor}`,
    );
    const rest = await next.json();
    expect(rest.items.map((e: { after: unknown }) => e.after)).toEqual([24]);
    expect(rest.nextCursor).toBeNull();
  });

  it("answers a bad filter with 422", async () => {
    for (const query of ["actorId=me", "from=yesterday", "limit=0", "cursor=%%%"]) {
      const res = await api().call(admin.accessToken, "GET", `/api/audit?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 422 });
    }
  });
});
