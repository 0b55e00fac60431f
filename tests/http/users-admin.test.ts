import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** POST /api/users and what the people screens read back, through the HTTP door. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let admin: string;
let adminId: string;
let agent: string;
let moderator: string;
let home: string;

const as = async (
  telegramId: number,
  role: "admin" | "agent" | "moderator",
  lang = "en",
  branchId?: string,
) => {
  const s = await api().login(telegramId, lang);
  await w.db
    .update(users)
    .set({ role, branchId: branchId ?? null })
    .where(eq(users.id, s.user.id));
  return s;
};

beforeAll(async () => {
  w = world();
  home = (await w.branch("users_http_home")).id;
  const a = await as(930_001, "admin");
  admin = a.accessToken;
  adminId = a.user.id;
  agent = (await as(930_002, "agent")).accessToken;
  moderator = (await as(930_003, "moderator", "fa", home)).accessToken;
});

describe("POST /api/users", () => {
  it("registers a person (201) who then signs in with the role and branch given", async () => {
    const res = await api().call(admin, "POST", "/api/users", {
      telegramId: 931_001,
      firstName: "Reza",
      username: "@reza_h",
      role: "agent",
      branchId: home,
      language: "ru",
    });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made).toMatchObject({
      telegramId: 931_001,
      firstName: "Reza",
      username: "reza_h",
      role: "agent",
      branchId: home,
      language: "ru",
      isActive: true,
      skills: [],
    });
    const [audit] = await w.db.select().from(auditLog).where(eq(auditLog.entityId, made.id));
    expect(audit).toMatchObject({ action: "user.create", actorId: adminId });
    // Their first Mini App sign-in: Telegram's name wins, the admin's role, branch and language stay.
    const session = await api().login(931_001, "fa");
    const { user: me } = await (await api().call(session.accessToken, "GET", "/api/auth/me")).json();
    expect(me).toMatchObject({ id: made.id, role: "agent", branchId: home, language: "ru" });
    expect(me.firstName).toBe("Mini931001");
  });

  it("answers bad bodies with 422 and the fields at fault, in the caller's language", async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ firstName: "No id" }, ["telegramId"]],
      [{ telegramId: "931002", firstName: "String id" }, ["telegramId"]],
      [{ telegramId: -1, firstName: "Negative" }, ["telegramId"]],
      [{ telegramId: 931_003 }, ["firstName"]],
      [{ telegramId: 931_004, firstName: "R", role: "superuser", language: "de" }, ["role", "language"]],
      [{ telegramId: 931_005, firstName: "R", branchId: "nope" }, ["branchId"]],
    ];
    for (const [body, paths] of cases) {
      const res = await api().call(moderator, "POST", "/api/users", body);
      const json = await res.json();
      expect({ body, status: res.status, paths: json.issues.map((i: { path: string }) => i.path) }).toEqual({
        body,
        status: 422,
        paths,
      });
      expect(json.message).toMatch(/[\u0600-\u06FF]/); // the moderator reads Persian
    }
    const negative = await (
      await api().call(admin, "POST", "/api/users", { telegramId: 0, firstName: "Zero" })
    ).json();
    // The bound a number missed travels with the issue, for the Mini App to put in words.
    expect(negative.issues[0]).toMatchObject({ path: "telegramId", code: "too_small", limit: 0 });
    const raw = await api().app.request("/api/users", {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(422);
  });

  it("answers a Telegram id already registered with 409 naming telegramId", async () => {
    const body = { telegramId: 931_010, firstName: "Once" };
    expect((await api().call(admin, "POST", "/api/users", body)).status).toBe(201);
    const again = await api().call(admin, "POST", "/api/users", { ...body, firstName: "Twice" });
    expect(again.status).toBe(409);
    const refusal = await again.json();
    expect(refusal.issues).toEqual([expect.objectContaining({ path: "telegramId", code: "taken" })]);
    // The message says what happened, not the generic "someone changed this meanwhile".
    expect(refusal.message).toBe("Someone with this Telegram id is already registered.");
  });

  it("refuses agents (403), and moderators granting above agent or outside their branch", async () => {
    expect(
      (await api().call(agent, "POST", "/api/users", { telegramId: 931_020, firstName: "A" })).status,
    ).toBe(403);
    const up = await api().call(moderator, "POST", "/api/users", {
      telegramId: 931_021,
      firstName: "M",
      role: "moderator",
    });
    expect(up.status).toBe(403);
    const away = (await w.branch("users_http_away")).id;
    const outside = await api().call(moderator, "POST", "/api/users", {
      telegramId: 931_022,
      firstName: "M",
      role: "agent",
      branchId: away,
    });
    expect(outside.status).toBe(403);
    const [nobody] = await w.db.select().from(users).where(eq(users.telegramId, 931_022));
    expect(nobody).toBeUndefined();
    // Within the rules: an agent of the moderator's branch.
    const ok = await api().call(moderator, "POST", "/api/users", {
      telegramId: 931_023,
      firstName: "M",
      role: "agent",
    });
    expect(ok.status).toBe(201);
    expect((await ok.json()).branchId).toBe(home);
  });
});

describe("the people list", () => {
  it("tells managers who is inactive and what each handles", async () => {
    const categoryId = await w.categoryId();
    const made = await (
      await api().call(admin, "POST", "/api/users", {
        telegramId: 931_030,
        firstName: "Skilled",
        role: "agent",
      })
    ).json();
    await api().call(admin, "PATCH", `/api/users/${made.id}`, { active: false, skills: [categoryId] });
    const list = await (await api().call(admin, "GET", "/api/users?q=Skilled")).json();
    expect(list).toEqual([expect.objectContaining({ id: made.id, isActive: false, skills: [categoryId] })]);
    // Still nothing beyond that (away and capacity are for auto-assignment, moderation for
    // bans): no phone, email, presence or Telegram reachability.
    expect(Object.keys(list[0]).sort()).toEqual(
      [
        "away",
        "maxOpenTickets",
        "moderation",
        "branchId",
        "firstName",
        "id",
        "isActive",
        "language",
        "lastName",
        "role",
        "skills",
        "telegramId",
        "username",
      ].sort(),
    );
    expect((await api().call(agent, "GET", "/api/users")).status).toBe(403);
  });

  it("gives a branch moderator the people of their branch and branchless customers, nobody above them", async () => {
    const away = (await w.branch("users_http_list_away")).id;
    const mk = (
      firstName: string,
      role: "requester" | "agent" | "moderator" | "admin" | "owner",
      branchId: string | null,
    ) => w.user(role, { firstName, branchId });
    const seen = [
      await mk("ListHomeAgent", "agent", home),
      await mk("ListHomeColleague", "moderator", home),
      await mk("ListCustomer", "requester", null),
    ];
    const hidden = [
      await mk("ListAwayAgent", "agent", away),
      await mk("ListRovingAgent", "agent", null),
      await mk("ListAdmin", "admin", null),
      await mk("ListOwner", "owner", null),
      await mk("ListHomeAdmin", "admin", home),
    ];
    const list = (await (await api().call(moderator, "GET", "/api/users?q=List&limit=200")).json()) as {
      id: string;
    }[];
    const ids = list.map((u) => u.id);
    for (const u of seen) expect(ids, u.firstName).toContain(u.id);
    for (const u of hidden) expect(ids, u.firstName).not.toContain(u.id);
    // Nobody's notification choices, to anyone: they are the person's own.
    const all = (await (await api().call(admin, "GET", "/api/users?limit=200")).json()) as object[];
    expect(all.every((u) => !("notifyPrefs" in u))).toBe(true);
  });
});

describe("people outside a moderator's scope", () => {
  it("do not exist for them: reading or changing another branch's agent, a branchless agent or an admin is 404", async () => {
    const away = (await w.branch("users_http_scope_away")).id;
    const targets = [
      await w.user("agent", { branchId: away }),
      await w.user("agent", { branchId: null }),
      await w.user("admin", { branchId: null }),
    ];
    for (const u of targets) {
      expect((await api().call(moderator, "GET", `/api/users/${u.id}`)).status, u.firstName).toBe(404);
      expect(
        (await api().call(moderator, "PATCH", `/api/users/${u.id}`, { active: false })).status,
        u.firstName,
      ).toBe(404);
    }
    const [still] = await w.db.select().from(users).where(eq(users.id, targets[0].id));
    expect(still.isActive).toBe(true);
    // Their own branch's agent they do manage.
    const mine = await w.user("agent", { branchId: home });
    expect((await api().call(moderator, "PATCH", `/api/users/${mine.id}`, { active: false })).status).toBe(
      200,
    );
    // An admin reaches everyone, but not above their own rank.
    const owner = await w.user("owner", { branchId: null });
    expect((await api().call(admin, "PATCH", `/api/users/${owner.id}`, { active: false })).status).toBe(403);
  });
});
