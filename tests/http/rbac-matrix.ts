import { eq } from "drizzle-orm";
import { beforeAll } from "vitest";
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
export type Who = "requester_own" | "requester_other" | "agent" | "moderator" | "auditor" | "admin" | "owner";
export const WHO: Who[] = [
  "requester_own",
  "requester_other",
  "agent",
  "moderator",
  "auditor",
  "admin",
  "owner",
];
export const OK = 200;

export type Route = {
  name: string;
  /** The served route this row checks ("method /path/:param"), for the coverage check. */
  route?: string;
  call: (token: string, ticketId: string, helperId: string) => Promise<Response>;
  expect: Record<Who, number>;
};
export const all = (n: number, over: Partial<Record<Who, number>> = {}) =>
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

export const F = 403;
export const NF = 404;
/**
 * One signed-in person per row of the matrix (their role and branch set), a
 * ticket maker, and the API; for the test file that calls it (hooks of its own).
 */
export function setupRoleMatrix() {
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

  return {
    api,
    ticketIn,
    get w() {
      return w;
    },
    tokens,
    ids,
    get home() {
      return home;
    },
    get away() {
      return away;
    },
    get requesterId() {
      return requesterId;
    },
    get helperId() {
      return helperId;
    },
  };
}

export type RoleMatrix = ReturnType<typeof setupRoleMatrix>;

/** The ticket routes' expected statuses for a ticket in scope (out of scope: 404 for branch-bound staff). */
export function ticketRoutes(api: RoleMatrix["api"]): Route[] {
  return [
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
      // Only an author edits, and a message is someone's: tests/http/message-edit.test.ts walks
      // authors and others; here a message nobody wrote is not found for every role.
      name: "PATCH message (none)",
      route: "patch /api/tickets/:id/messages/:messageId",
      call: (t, id) =>
        api().call(t, "PATCH", `/api/tickets/${id}/messages/00000000-0000-4000-8000-000000000000`, {
          body: "x",
        }),
      expect: all(NF),
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
}
