import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Role, users } from "../../drizzle/schema/index.js";
import type { ServiceContext } from "../../server/domain/index.js";
import { createBranch, createCategory, createLabel, createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * Every route × role × scope through the HTTP door. Expected statuses come from
 * SPEC §1: requesters reach their own tickets only; agents answer, note, change
 * status/priority and take in their branch; moderators also assign others and
 * list users; auditors only read; admins and owners do everything. A ticket out
 * of scope is 404 (its existence is not revealed); a forbidden act is 403.
 */
type Who = "requester_own" | "requester_other" | "agent" | "moderator" | "auditor" | "admin" | "owner";
const WHO: Who[] = ["requester_own", "requester_other", "agent", "moderator", "auditor", "admin", "owner"];
const OK = 200;

type Route = {
  name: string;
  /** The served route this row checks ("method /path/:param"), for the coverage check. */
  route?: string;
  call: (token: string, ticketId: string, helperId: string) => Promise<Response>;
  expect: Record<Who, number>;
};
const all = (n: number, over: Partial<Record<Who, number>> = {}) =>
  ({
    requester_own: n,
    requester_other: n,
    agent: n,
    moderator: n,
    auditor: n,
    admin: n,
    owner: n,
    ...over,
  }) as Record<Who, number>;

let w: World;
const world = setupTestWorld();
const api = setupApi(world);
const tokens = {} as Record<Who, string>;
const ids = {} as Record<Who, string>;
let home: string;
let away: string;
let requesterId: string;
let helperId: string;

beforeAll(async () => {
  w = world();
  home = (await w.branch("http_home")).id;
  away = (await w.branch("http_away")).id;
  const roles: Record<Who, [Role, string | null]> = {
    requester_own: ["requester", home],
    requester_other: ["requester", home],
    agent: ["agent", home],
    moderator: ["moderator", home],
    auditor: ["auditor", home],
    admin: ["admin", away],
    owner: ["owner", away],
  };
  let tg = 900_100;
  for (const who of WHO) {
    const session = await api().login(tg++);
    await w.db
      .update(users)
      .set({ role: roles[who][0], branchId: roles[who][1] })
      .where(eq(users.id, session.user.id));
    tokens[who] = session.accessToken;
    ids[who] = session.user.id;
  }
  requesterId = ids.requester_own;
  helperId = (await w.user("agent", { branchId: null })).id;
});

async function ticketIn(branchId: string) {
  return createTicket({
    ctx: w.system(),
    input: { title: "HTTP matrix", categoryId: await w.categoryId(), requesterId, branchId },
  });
}

const F = 403;
const NF = 404;
const ticketRoutes: Route[] = [
  {
    name: "GET ticket",
    route: "get /api/tickets/:id",
    call: (t, id) => api().call(t, "GET", `/api/tickets/${id}`),
    expect: all(OK, { requester_other: NF }),
  },
  {
    name: "GET history",
    route: "get /api/tickets/:id/history",
    call: (t, id) => api().call(t, "GET", `/api/tickets/${id}/history`),
    expect: all(OK, { requester_other: NF }),
  },
  {
    name: "GET choices",
    route: "get /api/tickets/:id/choices",
    call: (t, id) => api().call(t, "GET", `/api/tickets/${id}/choices`),
    expect: all(OK, { requester_own: F, requester_other: NF, auditor: F }),
  },
  {
    name: "GET messages",
    route: "get /api/tickets/:id/messages",
    call: (t, id) => api().call(t, "GET", `/api/tickets/${id}/messages`),
    expect: all(OK, { requester_other: NF }),
  },
  {
    name: "POST reply",
    route: "post /api/tickets/:id/messages",
    call: (t, id) => api().call(t, "POST", `/api/tickets/${id}/messages`, { body: "hi" }),
    expect: all(201, { requester_other: NF, auditor: F }),
  },
  {
    name: "POST note",
    call: (t, id) => api().call(t, "POST", `/api/tickets/${id}/messages`, { body: "n", internal: true }),
    expect: all(201, { requester_own: F, requester_other: NF, auditor: F }),
  },
  {
    name: "PATCH status",
    route: "patch /api/tickets/:id/status",
    call: (t, id) => api().call(t, "PATCH", `/api/tickets/${id}/status`, { status: "in_progress" }),
    expect: all(OK, { requester_own: F, requester_other: NF, auditor: F }),
  },
  {
    name: "PATCH priority",
    route: "patch /api/tickets/:id",
    call: (t, id) => api().call(t, "PATCH", `/api/tickets/${id}`, { priority: "high" }),
    expect: all(OK, { requester_own: F, requester_other: NF, auditor: F }),
  },
  {
    name: "PATCH assignee (other)",
    route: "patch /api/tickets/:id/assignee",
    call: (t, id, helper) => api().call(t, "PATCH", `/api/tickets/${id}/assignee`, { assigneeId: helper }),
    expect: all(OK, { requester_own: F, requester_other: NF, agent: F, auditor: F }),
  },
];

describe("ticket routes × role × scope", () => {
  for (const route of ticketRoutes) {
    it(route.name, async () => {
      const mismatches: string[] = [];
      for (const who of WHO) {
        for (const scope of ["in", "out"] as const) {
          const ticket = await ticketIn(scope === "in" ? home : away);
          const branchBound = who === "agent" || who === "moderator" || who === "auditor";
          const want = scope === "out" && branchBound ? NF : route.expect[who];
          const res = await route.call(tokens[who], ticket.id, helperId);
          if (res.status !== want)
            mismatches.push(`${who}/${scope}: expected ${want}, got ${res.status} ${await res.text()}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});

describe("administration routes × role", () => {
  const adminOnly = all(F, { admin: OK, owner: OK });
  const staff = all(OK, { requester_own: F, requester_other: F });
  const managers = all(F, { moderator: OK, admin: OK, owner: OK });
  // A fresh entity per call, made directly (the owner's token would hit the write rate limit).
  const catalogPatch =
    (path: string, create: (ctx: ServiceContext) => Promise<{ id: string }>): Route["call"] =>
    async (t) => {
      const created = await create(w.system());
      return api().call(t, "PATCH", `${path}/${created.id}`, { isActive: false });
    };
  const uniq = () => Math.random().toString(36).slice(2, 8);
  let nextNewcomer = 950_000;
  const routes: Route[] = [
    {
      name: "GET people to open a ticket for",
      route: "get /api/tickets/requesters",
      call: (t) => api().call(t, "GET", "/api/tickets/requesters?q=ab"),
      expect: all(OK, { requester_own: F, requester_other: F, auditor: F }),
    },
    {
      name: "POST ticket for oneself, or on behalf of the requester",
      route: "post /api/tickets",
      call: async (t) =>
        api().call(t, "POST", "/api/tickets", {
          title: "On behalf",
          categoryId: await w.categoryId(),
          requesterId,
        }),
      // A requester may open one for themselves only; auditors only read.
      expect: all(201, { requester_other: F, auditor: F }),
    },
    {
      name: "GET queue",
      route: "get /api/tickets",
      call: (t) => api().call(t, "GET", "/api/tickets"),
      expect: all(OK),
    },
    {
      name: "POST label",
      route: "post /api/labels",
      call: (t) => api().call(t, "POST", "/api/labels", { name: `l-${Math.random()}` }),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH label",
      route: "patch /api/labels/:id",
      call: catalogPatch("/api/labels", (ctx) => createLabel({ ctx, input: { name: `l-${uniq()}` } })),
      expect: adminOnly,
    },
    {
      name: "POST branch",
      route: "post /api/branches",
      call: (t) => api().call(t, "POST", "/api/branches", { code: `b${uniq()}`, name: { fa: "ش", en: "B" } }),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH branch",
      route: "patch /api/branches/:id",
      call: catalogPatch("/api/branches", (ctx) =>
        createBranch({ ctx, input: { code: `b${uniq()}`, name: { fa: "ش", en: "B" } } }),
      ),
      expect: adminOnly,
    },
    {
      name: "POST category",
      route: "post /api/categories",
      call: (t) =>
        api().call(t, "POST", "/api/categories", { code: `c${uniq()}`, name: { fa: "د", en: "C" } }),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH category",
      route: "patch /api/categories/:id",
      call: catalogPatch("/api/categories", (ctx) =>
        createCategory({ ctx, input: { code: `c${uniq()}`, name: { fa: "د", en: "C" } } }),
      ),
      expect: adminOnly,
    },
    {
      name: "GET settings",
      route: "get /api/settings",
      call: (t) => api().call(t, "GET", "/api/settings"),
      // Staff read them (SLA targets); requesters have no business with staff chat ids.
      expect: staff,
    },
    {
      name: "PATCH settings",
      route: "patch /api/settings",
      call: (t) => api().call(t, "PATCH", "/api/settings", { auto_close_hours: 48 }),
      expect: adminOnly,
    },
    {
      name: "GET failed notifications",
      route: "get /api/notifications/failed",
      call: (t) => api().call(t, "GET", "/api/notifications/failed"),
      expect: adminOnly,
    },
    {
      name: "POST retry of a notification that does not exist",
      route: "post /api/notifications/:id/retry",
      call: (t) => api().call(t, "POST", "/api/notifications/00000000-0000-4000-8000-000000000000/retry"),
      expect: all(F, { admin: NF, owner: NF }),
    },
    {
      name: "GET users",
      route: "get /api/users",
      call: (t) => api().call(t, "GET", "/api/users"),
      expect: managers,
    },
    {
      name: "POST a user (registered before their first message)",
      route: "post /api/users",
      call: (t) => api().call(t, "POST", "/api/users", { telegramId: nextNewcomer++, firstName: "New" }),
      expect: all(F, { moderator: 201, admin: 201, owner: 201 }),
    },
    {
      name: "GET a user (the branch's agent)",
      route: "get /api/users/:id",
      call: (t) => api().call(t, "GET", `/api/users/${ids.agent}`),
      // Oneself is always readable (the agent reads their own record); to those who manage
      // nobody, other people do not exist.
      expect: all(NF, { agent: OK, moderator: OK, admin: OK, owner: OK }),
    },
    {
      name: "PATCH a user (the branch's agent)",
      route: "patch /api/users/:id",
      call: (t) => api().call(t, "PATCH", `/api/users/${ids.agent}`, { skills: [] }),
      expect: all(NF, { agent: F, moderator: OK, admin: OK, owner: OK }),
    },
    {
      name: "PATCH own preferences",
      route: "patch /api/users/me/preferences",
      call: (t) => api().call(t, "PATCH", "/api/users/me/preferences", { notifyPrefs: { closed: true } }),
      expect: all(OK),
    },
    {
      name: "GET queue summary",
      route: "get /api/reports/summary",
      call: (t) => api().call(t, "GET", "/api/reports/summary"),
      expect: staff,
    },
    {
      name: "GET me",
      route: "get /api/auth/me",
      call: (t) => api().call(t, "GET", "/api/auth/me"),
      expect: all(OK),
    },
    {
      name: "GET meta",
      route: "get /api/meta",
      call: (t) => api().call(t, "GET", "/api/meta"),
      expect: all(OK),
    },
    {
      name: "GET categories",
      route: "get /api/categories",
      call: (t) => api().call(t, "GET", "/api/categories"),
      expect: all(OK),
    },
    {
      name: "GET branches",
      route: "get /api/branches",
      call: (t) => api().call(t, "GET", "/api/branches"),
      expect: all(OK),
    },
    {
      name: "GET labels",
      route: "get /api/labels",
      call: (t) => api().call(t, "GET", "/api/labels"),
      expect: all(OK),
    },
  ];
  /** Served routes checked elsewhere, and where. */
  const elsewhere: Record<string, string> = {
    "post /api/auth/telegram": "auth.test.ts (every kind of bad initData)",
    "post /api/auth/refresh": "auth.test.ts (expired, revoked, rotated)",
    "post /api/auth/logout": "auth.test.ts",
    "get /api/files/:id": "behaviour.test.ts (only those who may see the ticket get the bytes)",
    "get /api/events": "behaviour.test.ts (live updates in scope, not out of it)",
    "get /api/openapi.json": "behaviour.test.ts (public description)",
  };

  it("covers every route the server has", () => {
    const covered = new Set([...ticketRoutes, ...routes].map((r) => r.route).concat(Object.keys(elsewhere)));
    const served = api()
      .app.routes.filter((r) => r.path.startsWith("/api/") && !r.path.includes("*") && r.method !== "ALL")
      .map((r) => `${r.method.toLowerCase()} ${r.path}`);
    expect(served.filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const route of routes) {
    it(route.name, async () => {
      const got = Object.fromEntries(
        await Promise.all(WHO.map(async (who) => [who, (await route.call(tokens[who], "", "")).status])),
      );
      expect(got).toEqual(route.expect);
    });
  }

  it("lists only what the role's scope covers", async () => {
    await ticketIn(home);
    await ticketIn(away);
    const list = async (who: Who) =>
      (await (await api().call(tokens[who], "GET", "/api/tickets?limit=100")).json()).items as {
        branchId: string;
        requesterId: string;
      }[];
    expect((await list("agent")).every((t) => t.branchId === home)).toBe(true);
    expect((await list("requester_other")).length).toBe(0);
    expect((await list("requester_own")).every((t) => t.requesterId === requesterId)).toBe(true);
    expect((await list("admin")).some((t) => t.branchId === away)).toBe(true);
  });
});
