import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Role, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
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
    call: (t, id) => api().call(t, "GET", `/api/tickets/${id}`),
    expect: all(OK, { requester_other: NF }),
  },
  {
    name: "GET history",
    call: (t, id) => api().call(t, "GET", `/api/tickets/${id}/history`),
    expect: all(OK, { requester_other: NF }),
  },
  {
    name: "GET messages",
    call: (t, id) => api().call(t, "GET", `/api/tickets/${id}/messages`),
    expect: all(OK, { requester_other: NF }),
  },
  {
    name: "POST reply",
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
    call: (t, id) => api().call(t, "PATCH", `/api/tickets/${id}/status`, { status: "in_progress" }),
    expect: all(OK, { requester_own: F, requester_other: NF, auditor: F }),
  },
  {
    name: "PATCH priority",
    call: (t, id) => api().call(t, "PATCH", `/api/tickets/${id}`, { priority: "high" }),
    expect: all(OK, { requester_own: F, requester_other: NF, auditor: F }),
  },
  {
    name: "PATCH assignee (other)",
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
  const routes: Route[] = [
    {
      name: "POST label",
      call: (t) => api().call(t, "POST", "/api/labels", { name: `l-${Math.random()}` }),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH settings",
      call: (t) => api().call(t, "PATCH", "/api/settings", { auto_close_hours: 48 }),
      expect: adminOnly,
    },
    {
      name: "GET failed notifications",
      call: (t) => api().call(t, "GET", "/api/notifications/failed"),
      expect: adminOnly,
    },
    {
      name: "GET users",
      call: (t) => api().call(t, "GET", "/api/users"),
      expect: all(F, { moderator: OK, admin: OK, owner: OK }),
    },
    { name: "GET meta", call: (t) => api().call(t, "GET", "/api/meta"), expect: all(OK) },
    { name: "GET categories", call: (t) => api().call(t, "GET", "/api/categories"), expect: all(OK) },
  ];
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
