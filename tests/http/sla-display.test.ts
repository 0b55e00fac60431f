import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type SlaState, tickets, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * The SLA as the API shows it: `sla` on every ticket for staff (never for the
 * requester), and the queue's sla=at_risk|breached and escalated=true filters.
 * Each state is made by setting the columns the scheduler keeps, as it would.
 */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let branchId: string;
const sessions = {} as Record<"agent" | "requester", { accessToken: string; user: { id: string } }>;
const ids = {} as Record<
  "onTrack" | "atRisk" | "breached" | "overdueUnmarked" | "escalated" | "escalatedDone",
  string
>;
const MIN = 60_000;
let now: Date;

async function ticketWith(
  title: string,
  cols: Partial<{
    slaState: SlaState;
    firstResponseDueAt: Date | null;
    resolutionDueAt: Date | null;
    escalatedAt: Date | null;
    status: "open" | "resolved";
  }>,
) {
  const t = await createTicket({
    ctx: w.system(),
    input: { title, categoryId: await w.categoryId(), requesterId: sessions.requester.user.id, branchId },
  });
  // Only the columns given run: creating the ticket may have started clocks of its own.
  const none = { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
  await w.db
    .update(tickets)
    .set({ ...none, ...cols })
    .where(eq(tickets.id, t.id));
  return t.id;
}

beforeAll(async () => {
  w = world();
  branchId = (await w.branch("sla_disp")).id;
  let tg = 940_100;
  for (const role of ["agent", "requester"] as const) {
    const s = await api().login(tg++, "en");
    await w.db.update(users).set({ role, branchId }).where(eq(users.id, s.user.id));
    sessions[role] = s;
  }
  now = w.clock.now();
  const at = (minutes: number) => new Date(now.getTime() + minutes * MIN);
  ids.onTrack = await ticketWith("On track", { slaState: "on_track", firstResponseDueAt: at(135) });
  ids.atRisk = await ticketWith("At risk", { slaState: "at_risk", resolutionDueAt: at(20) });
  ids.breached = await ticketWith("Breached", { slaState: "breached", firstResponseDueAt: null });
  // The scheduler has not marked it yet, but its due time passed: breached already.
  ids.overdueUnmarked = await ticketWith("Overdue", { slaState: "at_risk", resolutionDueAt: at(-40) });
  ids.escalated = await ticketWith("Escalated", { slaState: "breached", escalatedAt: at(-5) });
  ids.escalatedDone = await ticketWith("Escalated, resolved", {
    slaState: "breached",
    escalatedAt: at(-5),
    status: "resolved",
  });
});

const get = (who: keyof typeof sessions, path: string) => api().call(sessions[who].accessToken, "GET", path);
const listIds = async (who: keyof typeof sessions, query: string) => {
  const res = await get(who, `/api/tickets?limit=100&${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()).items as { id: string }[]).map((t) => t.id).sort();
};

describe("sla on tickets over HTTP", () => {
  it("gives staff the sla of each ticket, single and in the list", async () => {
    const res = await get("agent", `/api/tickets/${ids.onTrack}`);
    expect(res.status).toBe(200);
    const one = await res.json();
    expect(one.sla).toEqual({
      state: "on_track",
      firstResponseDueAt: new Date(now.getTime() + 135 * MIN).toISOString(),
      nextResponseDueAt: null,
      resolutionDueAt: null,
    });
    const list = await (await get("agent", "/api/tickets?limit=100")).json();
    const byId = new Map(list.items.map((t: { id: string; sla: { state: string } }) => [t.id, t.sla.state]));
    expect(byId.get(ids.atRisk)).toBe("at_risk");
    expect(byId.get(ids.breached)).toBe("breached");
    // Stored as at_risk, but its due time passed: the view says breached.
    expect(byId.get(ids.overdueUnmarked)).toBe("breached");
  });

  it("answers a change with the ticket's sla too", async () => {
    // A title edit leaves the clock alone (a priority change would read it again, from its start).
    const res = await api().call(sessions.agent.accessToken, "PATCH", `/api/tickets/${ids.atRisk}`, {
      title: "Printer on floor 2",
    });
    expect(res.status).toBe(200);
    expect((await res.json()).sla).toMatchObject({ state: "at_risk" });
  });

  it("never shows the requester the sla, single or listed", async () => {
    const one = await (await get("requester", `/api/tickets/${ids.overdueUnmarked}`)).json();
    expect(one.sla).toBeNull();
    expect(one.resolutionDueAt).toBeNull();
    expect(one.slaState).toBe("none");
    expect(one.escalatedAt).toBeNull();
    const list = await (
      await get("requester", `/api/tickets?requesterId=${sessions.requester.user.id}`)
    ).json();
    expect(list.items.length).toBeGreaterThan(0);
    for (const t of list.items) {
      expect(t.sla).toBeNull();
      expect(t.slaState).toBe("none");
    }
  });

  it("filters the queue on sla=at_risk and sla=breached as the badges show them", async () => {
    expect(await listIds("agent", "sla=at_risk")).toEqual([ids.atRisk].sort());
    expect(await listIds("agent", "sla=breached")).toEqual(
      [ids.breached, ids.overdueUnmarked, ids.escalated, ids.escalatedDone].sort(),
    );
  });

  it("lists the escalated tickets still being worked with escalated=true", async () => {
    expect(await listIds("agent", "escalated=true")).toEqual([ids.escalated]);
    expect(await listIds("agent", "escalated=true&sla=breached")).toEqual([ids.escalated]);
    expect((await listIds("agent", "escalated=false")).length).toBe(6);
  });

  it("refuses the sla filters to a requester and rejects unknown values", async () => {
    expect((await get("requester", "/api/tickets?sla=breached")).status).toBe(403);
    expect((await get("requester", "/api/tickets?escalated=true")).status).toBe(403);
    expect((await get("agent", "/api/tickets?sla=late")).status).toBe(422);
    expect((await get("agent", "/api/tickets?escalated=yes")).status).toBe(422);
  });

  it("describes the filters in /api/openapi.json", async () => {
    const doc = await (await api().app.request("/api/openapi.json")).json();
    const names = doc.paths["/api/tickets"].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(["sla", "escalated"]));
  });
});
