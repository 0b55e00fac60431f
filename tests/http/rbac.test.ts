import { describe, expect, it } from "vitest";
import type { ServiceContext } from "../../server/domain/index.js";
import {
  createAutomationRule,
  createBranch,
  createBusinessCalendar,
  createCategory,
  createLabel,
  createScheduledReport,
  createSlaPolicy,
  setAssignmentPolicy,
} from "../../server/domain/index.js";
import { all, F, NF, OK, type Route, setupRoleMatrix, ticketRoutes, WHO, type Who } from "./rbac-matrix.js";

/** Every administration route × role, that every served route is checked, and list scopes. */
const m = setupRoleMatrix();
const api = m.api;

describe("administration routes × role", () => {
  const adminOnly = all(F, { admin: OK, owner: OK });
  const staff = all(OK, { requester_own: F, requester_other: F });
  const managers = all(F, { moderator: OK, admin: OK, owner: OK });
  // A fresh entity per call, made directly (the owner's token would hit the write rate limit).
  const catalogPatch =
    (path: string, create: (ctx: ServiceContext) => Promise<{ id: string }>): Route["call"] =>
    async (t) => {
      const created = await create(m.w.system());
      return api().call(t, "PATCH", `${path}/${created.id}`, { isActive: false });
    };
  const uniq = () => Math.random().toString(36).slice(2, 8);
  const scheduled = {
    report: "volume",
    frequency: "daily",
    time: "08:00",
    timeZone: "Asia/Tehran",
    language: "fa",
    chatId: null,
  };
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
          categoryId: await m.w.categoryId(),
          requesterId: m.requesterId,
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
      name: "GET the delivery backlog",
      route: "get /api/notifications/backlog",
      call: (t) => api().call(t, "GET", "/api/notifications/backlog"),
      expect: adminOnly,
    },
    {
      name: "GET the audit log",
      route: "get /api/audit",
      call: (t) => api().call(t, "GET", "/api/audit?entity=setting&limit=5"),
      expect: adminOnly,
    },
    {
      name: "GET audit log export (CSV)",
      route: "get /api/audit/export",
      call: (t) => api().call(t, "GET", "/api/audit/export?entity=setting"),
      expect: adminOnly,
    },
    {
      name: "GET audit entity kinds",
      route: "get /api/audit/entities",
      call: (t) => api().call(t, "GET", "/api/audit/entities"),
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
      call: (t) => api().call(t, "GET", `/api/users/${m.ids.agent}`),
      // Oneself is always readable (the agent reads their own record); to those who manage
      // nobody, other people do not exist.
      expect: all(NF, { agent: OK, moderator: OK, admin: OK, owner: OK }),
    },
    {
      name: "PATCH a user (the branch's agent)",
      route: "patch /api/users/:id",
      call: (t) => api().call(t, "PATCH", `/api/users/${m.ids.agent}`, { skills: [] }),
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
      name: "GET volume report (defaults: the last 30 days, own scope)",
      route: "get /api/reports/volume",
      call: (t) => api().call(t, "GET", "/api/reports/volume"),
      expect: staff,
    },
    {
      name: "GET timings report (defaults: the last 30 days, own scope)",
      route: "get /api/reports/timings",
      call: (t) => api().call(t, "GET", "/api/reports/timings"),
      expect: staff,
    },
    {
      name: "GET sla report (defaults: the last 30 days, own scope)",
      route: "get /api/reports/sla",
      call: (t) => api().call(t, "GET", "/api/reports/sla"),
      expect: staff,
    },
    {
      name: "GET csat report (defaults: the last 30 days, own scope)",
      route: "get /api/reports/csat",
      call: (t) => api().call(t, "GET", "/api/reports/csat"),
      expect: staff,
    },
    {
      name: "GET agents report (defaults: the last 30 days, own scope)",
      route: "get /api/reports/agents",
      call: (t) => api().call(t, "GET", "/api/reports/agents"),
      expect: staff,
    },
    {
      name: "GET breakdown report (defaults: the last 30 days, own scope)",
      route: "get /api/reports/breakdown",
      call: (t) => api().call(t, "GET", "/api/reports/breakdown"),
      expect: staff,
    },
    {
      name: "GET a report or the ticket list as a file",
      route: "get /api/reports/export/:name",
      call: (t) => api().call(t, "GET", "/api/reports/export/tickets?format=csv"),
      expect: staff,
    },
    {
      name: "POST a report file to a chat (admins; an unknown chat is refused after the role)",
      route: "post /api/reports/export/:name/send",
      call: (t) => api().call(t, "POST", "/api/reports/export/csat/send", { chatId: -100777 }),
      expect: all(F, { admin: 422, owner: 422 }),
    },
    {
      name: "GET scheduled reports",
      route: "get /api/scheduled-reports",
      call: (t) => api().call(t, "GET", "/api/scheduled-reports"),
      expect: adminOnly,
    },
    {
      name: "GET chats a report may go to",
      route: "get /api/scheduled-reports/chats",
      call: (t) => api().call(t, "GET", "/api/scheduled-reports/chats"),
      expect: adminOnly,
    },
    {
      name: "POST scheduled report",
      route: "post /api/scheduled-reports",
      call: (t) => api().call(t, "POST", "/api/scheduled-reports", scheduled),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH scheduled report",
      route: "patch /api/scheduled-reports/:id",
      call: async (t) => {
        const s = await createScheduledReport({ ctx: m.w.system(), input: scheduled });
        return api().call(t, "PATCH", `/api/scheduled-reports/${s.id}`, { enabled: false });
      },
      expect: adminOnly,
    },
    {
      name: "DELETE scheduled report",
      route: "delete /api/scheduled-reports/:id",
      call: async (t) => {
        const s = await createScheduledReport({ ctx: m.w.system(), input: scheduled });
        return api().call(t, "DELETE", `/api/scheduled-reports/${s.id}`);
      },
      expect: all(F, { admin: 204, owner: 204 }),
    },
    {
      name: "GET SLA policies",
      route: "get /api/sla-policies",
      call: (t) => api().call(t, "GET", "/api/sla-policies"),
      expect: staff,
    },
    {
      name: "POST SLA policy (a fresh branch each, so scopes never collide)",
      route: "post /api/sla-policies",
      call: async (t) =>
        api().call(t, "POST", "/api/sla-policies", {
          name: "p",
          priority: "high",
          branchId: (await m.w.branch()).id,
          firstResponseMinutes: 60,
        }),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH SLA policy",
      route: "patch /api/sla-policies/:id",
      call: async (t) => {
        const input = {
          name: "p",
          priority: "low",
          branchId: (await m.w.branch()).id,
          resolutionMinutes: 600,
        };
        const p = await createSlaPolicy({ ctx: m.w.system(), input });
        return api().call(t, "PATCH", `/api/sla-policies/${p.id}`, { active: false });
      },
      expect: adminOnly,
    },
    {
      name: "DELETE SLA policy",
      route: "delete /api/sla-policies/:id",
      call: async (t) => {
        const input = {
          name: "p",
          priority: "low",
          branchId: (await m.w.branch()).id,
          resolutionMinutes: 600,
        };
        const p = await createSlaPolicy({ ctx: m.w.system(), input });
        return api().call(t, "DELETE", `/api/sla-policies/${p.id}`);
      },
      expect: all(F, { admin: 204, owner: 204 }),
    },
    {
      name: "GET automation rules",
      route: "get /api/automation-rules",
      call: (t) => api().call(t, "GET", "/api/automation-rules"),
      expect: adminOnly,
    },
    {
      name: "POST automation rule",
      route: "post /api/automation-rules",
      call: (t) =>
        api().call(t, "POST", "/api/automation-rules", {
          name: "r",
          event: "ticket_created",
          actions: [{ type: "assign_auto" }],
          active: false,
        }),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH automation rule",
      route: "patch /api/automation-rules/:id",
      call: async (t) => {
        const input = {
          name: "r",
          event: "ticket_created",
          actions: [{ type: "assign_auto" }],
          active: false,
        };
        const r = await createAutomationRule({ ctx: m.w.system(), input });
        return api().call(t, "PATCH", `/api/automation-rules/${r.id}`, { name: "r2" });
      },
      expect: adminOnly,
    },
    {
      name: "DELETE automation rule",
      route: "delete /api/automation-rules/:id",
      call: async (t) => {
        const input = {
          name: "r",
          event: "ticket_created",
          actions: [{ type: "assign_auto" }],
          active: false,
        };
        const r = await createAutomationRule({ ctx: m.w.system(), input });
        return api().call(t, "DELETE", `/api/automation-rules/${r.id}`);
      },
      expect: all(F, { admin: 204, owner: 204 }),
    },
    {
      name: "GET business calendars",
      route: "get /api/business-calendars",
      call: (t) => api().call(t, "GET", "/api/business-calendars"),
      expect: staff,
    },
    {
      name: "POST business calendar",
      route: "post /api/business-calendars",
      call: async (t) =>
        api().call(t, "POST", "/api/business-calendars", {
          name: "c",
          preset: "mon_fri",
          branchId: (await m.w.branch()).id,
        }),
      expect: all(F, { admin: 201, owner: 201 }),
    },
    {
      name: "PATCH business calendar",
      route: "patch /api/business-calendars/:id",
      call: async (t) => {
        const input = { name: "c", preset: "iran", branchId: (await m.w.branch()).id };
        const c = await createBusinessCalendar({ ctx: m.w.system(), input });
        return api().call(t, "PATCH", `/api/business-calendars/${c.id}`, { holidays: ["1405/01/01"] });
      },
      expect: adminOnly,
    },
    {
      name: "DELETE business calendar",
      route: "delete /api/business-calendars/:id",
      call: async (t) => {
        const input = { name: "c", preset: "iran", branchId: (await m.w.branch()).id };
        const c = await createBusinessCalendar({ ctx: m.w.system(), input });
        return api().call(t, "DELETE", `/api/business-calendars/${c.id}`);
      },
      expect: all(F, { admin: 204, owner: 204 }),
    },
    {
      name: "GET canned replies",
      route: "get /api/canned-replies",
      call: (t) => api().call(t, "GET", "/api/canned-replies"),
      expect: all(OK, { requester_own: F, requester_other: F, auditor: F }),
    },
    {
      name: "POST personal canned reply",
      route: "post /api/canned-replies",
      call: (t) => api().call(t, "POST", "/api/canned-replies", { title: "t", bodies: { en: "x" } }),
      expect: all(201, { requester_own: F, requester_other: F, auditor: F }),
    },
    {
      name: "GET assignment policies",
      route: "get /api/assignment-policies",
      call: (t) => api().call(t, "GET", "/api/assignment-policies"),
      expect: staff,
    },
    {
      name: "PUT assignment policy",
      route: "put /api/assignment-policies",
      call: async (t) =>
        api().call(t, "PUT", "/api/assignment-policies", {
          branchId: (await m.w.branch()).id,
          strategy: "round_robin",
        }),
      expect: adminOnly,
    },
    {
      name: "DELETE assignment policy",
      route: "delete /api/assignment-policies/:id",
      call: async (t) => {
        const input = { branchId: (await m.w.branch()).id, strategy: "least_busy" };
        const p = await setAssignmentPolicy({ ctx: m.w.system(), input });
        return api().call(t, "DELETE", `/api/assignment-policies/${p.id}`);
      },
      expect: all(F, { admin: 204, owner: 204 }),
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
    "put /api/tickets/:id/rating": "rating.test.ts (the ticket's requester only; staff 403)",
    "get /api/canned-replies/:id": "canned-replies.test.ts and tests/domain (scope rules)",
    "patch /api/canned-replies/:id": "canned-replies.test.ts and tests/domain (who manages which scope)",
    "delete /api/canned-replies/:id": "canned-replies.test.ts and tests/domain (who manages which scope)",
    "post /api/canned-replies/:id/files": "canned-replies.test.ts (upload, kept under the reply)",
    "get /api/canned-replies/:id/preview": "canned-replies.test.ts",
    "post /api/tickets/:id/canned":
      "canned-replies.test.ts and tests/domain (requesters and auditors refused)",
    "get /api/presence": "live.test.ts",
    "put /api/presence": "live.test.ts (requesters refused)",
    "get /api/live/queue": "live.test.ts (requesters refused)",
    "get /api/live/mine": "live.test.ts",
    "get /api/live/report": "live.test.ts (requesters refused)",
    "post /api/live/ask": "live.test.ts",
    "post /api/live/:id/accept":
      "live.test.ts and tests/domain/live-chat.test.ts (only the operator offered)",
    "post /api/live/:id/decline": "tests/domain/live-chat.test.ts",
    "post /api/live/:id/leave": "live.test.ts and tests/domain/live-chat.test.ts (the chat's requester only)",
    "post /api/live/:id/end": "live.test.ts and tests/domain/live-chat.test.ts (either side or a supervisor)",
    "post /api/live/:id/takeover": "live.test.ts and tests/domain/live-chat.test.ts (agents refused)",
    "put /api/users/:id/moderation":
      "moderation.test.ts (moderators in their scope and admins; requesters only; audited)",
    "post /api/tickets/bulk":
      "tickets-bulk.test.ts (requesters and auditors refused; scope and role per ticket through the single verbs)",
    "post /api/live/:id/transfer":
      "live.test.ts and tests/domain/live-chat.test.ts (supervisors or the operator)",
    "get /api/live/current": "live-typing.test.ts (one's own open chat)",
    "get /api/live/ticket/:ticketId":
      "live-typing.test.ts and tests/domain/live-typing.test.ts (out of scope 404)",
    "post /api/live/:id/typing":
      "live-typing.test.ts and tests/domain/live-typing.test.ts (the two sides only)",
  };

  it("covers every route the server has", () => {
    const covered = new Set(
      [...ticketRoutes(api), ...routes].map((r) => r.route).concat(Object.keys(elsewhere)),
    );
    const served = api()
      .app.routes.filter((r) => r.path.startsWith("/api/") && !r.path.includes("*") && r.method !== "ALL")
      .map((r) => `${r.method.toLowerCase()} ${r.path}`);
    expect(served.filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const route of routes) {
    it(route.name, async () => {
      const got = Object.fromEntries(
        await Promise.all(WHO.map(async (who) => [who, (await route.call(m.tokens[who], "", "")).status])),
      );
      expect(got).toEqual(route.expect);
    });
  }

  it("lists only what the role's scope covers", async () => {
    await m.ticketIn(m.home);
    await m.ticketIn(m.away);
    const list = async (who: Who) =>
      (await (await api().call(m.tokens[who], "GET", "/api/tickets?limit=100")).json()).items as {
        branchId: string;
        requesterId: string;
      }[];
    expect((await list("agent")).every((t) => t.branchId === m.home)).toBe(true);
    expect((await list("requester_other")).length).toBe(0);
    expect((await list("requester_own")).every((t) => t.requesterId === m.requesterId)).toBe(true);
    expect((await list("admin")).some((t) => t.branchId === m.away)).toBe(true);
  });
});
