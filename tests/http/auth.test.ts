import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { refreshTokens, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { initDataUser, signInitData } from "../helpers/init-data.js";
import { BOT_TOKEN, setupApi } from "./http-harness.js";

const world = setupTestWorld();
const apiWorld = setupApi(world);
let w: World;
beforeAll(() => {
  w = world();
});

const exchange = (initData: string) =>
  apiWorld().app.request("/api/auth/telegram", {
    method: "POST",
    headers: { authorization: `tma ${initData}` },
  });

describe("signing in with Telegram initData", () => {
  it("accepts valid initData, creates the user and answers with tokens and the user", async () => {
    const res = await exchange(signInitData({ user: initDataUser(810_001, "ru") }, BOT_TOKEN));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.accessToken).toMatch(/^ey/);
    expect(body.user).toMatchObject({ telegramId: 810_001, language: "ru", role: "requester" });
    const me = await apiWorld().call(body.accessToken, "GET", "/api/auth/me");
    expect((await me.json()).user.id).toBe(body.user.id);
  });

  const now = Math.floor(Date.now() / 1000);
  const good = () => signInitData({ user: initDataUser(810_002) }, BOT_TOKEN);
  const cases: Array<[string, () => string]> = [
    [
      "a tampered hash",
      () =>
        good().replace(/hash=[0-9a-f]/, (m) =>
          m.endsWith("0") ? `${m.slice(0, -1)}1` : `${m.slice(0, -1)}0`,
        ),
    ],
    ["a tampered user", () => good().replace("Mini810002", "Admin")],
    [
      "another bot's token",
      () => signInitData({ user: initDataUser(810_002) }, "999:OTHER-token-of-another-bot-xx"),
    ],
    [
      "expired auth_date",
      () => signInitData({ user: initDataUser(810_002), auth_date: now - 7200 }, BOT_TOKEN),
    ],
    [
      "auth_date in the future",
      () => signInitData({ user: initDataUser(810_002), auth_date: now + 3600 }, BOT_TOKEN),
    ],
    ["no user", () => signInitData({ query_id: "AAF" }, BOT_TOKEN)],
    ["a malformed string", () => "%%%not=init&data"],
    ["duplicate keys", () => `${good()}&user=${encodeURIComponent(JSON.stringify(initDataUser(1)))}`],
    [
      "an oversized header",
      () => signInitData({ user: initDataUser(810_002), pad: "x".repeat(5000) }, BOT_TOKEN),
    ],
  ];
  for (const [name, make] of cases) {
    it(`refuses ${name} with 401 and a translated message`, async () => {
      const res = await exchange(make());
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(body).toMatchObject({ code: "UNAUTHENTICATED" });
      expect(body.message).toBeTruthy();
      expect(body.requestId).toBeTruthy();
    });
  }

  it("refuses requests without the tma scheme, and API calls without a valid access token", async () => {
    const res = await apiWorld().app.request("/api/auth/telegram", {
      method: "POST",
      headers: { authorization: "Bearer x" },
    });
    expect(res.status).toBe(401);
    expect((await apiWorld().app.request("/api/tickets")).status).toBe(401);
    expect((await apiWorld().call("not-a-jwt", "GET", "/api/tickets")).status).toBe(401);
  });

  it("refuses a deactivated account", async () => {
    await exchange(signInitData({ user: initDataUser(810_003) }, BOT_TOKEN));
    await w.db.update(users).set({ isActive: false }).where(eq(users.telegramId, 810_003));
    const res = await exchange(signInitData({ user: initDataUser(810_003) }, BOT_TOKEN));
    expect(res.status).toBe(403);
  });
});

describe("refresh tokens", () => {
  const refresh = (refreshToken: string) =>
    apiWorld().app.request("/api/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    });

  it("rotate: the new one works, the old one is refused and revokes the family", async () => {
    const first = await apiWorld().login(820_001);
    const res = await refresh(first.refreshToken);
    expect(res.status).toBe(200);
    const second = await res.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await refresh(first.refreshToken)).status).toBe(401);
    // Reuse of a replaced token means it leaked: the newer one is revoked too.
    expect((await refresh(second.refreshToken)).status).toBe(401);
  });

  it("are refused when expired or after logout", async () => {
    const session = await apiWorld().login(820_002);
    await apiWorld().app.request("/api/auth/logout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect((await refresh(session.refreshToken)).status).toBe(401);
    const other = await apiWorld().login(820_003);
    await w.db
      .update(refreshTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(refreshTokens.userId, other.user.id));
    expect((await refresh(other.refreshToken)).status).toBe(401);
  });
});
