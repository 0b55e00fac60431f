import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { labels, ticketEvents, ticketLabels, tickets, users } from "../../drizzle/schema/index.js";
import { createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * POST /api/tickets/bulk: one action for many tickets, each through its single verb
 * (role, scope, lifecycle, history), answered per ticket.
 */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
type Session = { accessToken: string; user: { id: string } };
let moderator: Session;
let agent: Session;
let auditor: Session;
let requester: Session;
let home: string;
let away: string;
let colleagueId: string;

beforeAll(async () => {
  w = world();
  home = (await w.branch("bulk_home")).id;
  away = (await w.branch("bulk_away")).id;
  const as = async (tg: number, role: "moderator" | "agent" | "auditor" | "requester") => {
    const s = await api().login(tg, "en");
    await w.db.update(users).set({ role, branchId: home }).where(eq(users.id, s.user.id));
    return s;
  };
  moderator = await as(960_001, "moderator");
  agent = await as(960_002, "agent");
  auditor = await as(960_003, "auditor");
  requester = await as(960_004, "requester");
  colleagueId = (await w.user("agent", { branchId: home })).id;
});

async function ticketIn(branchId: string): Promise<string> {
  const t = await createTicket({
    ctx: w.system(),
    input: {
      title: "Bulk printer",
      categoryId: await w.categoryId(),
      requesterId: requester.user.id,
      branchId,
    },
  });
  return t.id;
}

const bulk = (s: Session, body: unknown) => api().call(s.accessToken, "POST", "/api/tickets/bulk", body);
const row = async (id: string) => (await w.db.select().from(tickets).where(eq(tickets.id, id)))[0];

describe("POST /api/tickets/bulk", () => {
  it("assigns every ticket in scope, reports the one outside as not found, and writes each history row", async () => {
    const a = await ticketIn(home);
    const b = await ticketIn(home);
    const outside = await ticketIn(away);
    const res = await bulk(moderator, {
      ticketIds: [a, b, outside],
      action: "assign",
      assigneeId: colleagueId,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).results).toEqual([
      { ticketId: a, ok: true },
      { ticketId: b, ok: true },
      { ticketId: outside, ok: false, code: "NOT_FOUND", reason: null },
    ]);
    for (const id of [a, b]) {
      expect((await row(id)).assigneeId).toBe(colleagueId);
      const events = await w.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, "assign")));
      expect(events.map((e) => [e.actorId, e.toValue])).toEqual([[moderator.user.id, colleagueId]]);
    }
    expect((await row(outside)).assigneeId).toBeNull();
  });

  it("lets an agent take tickets but not hand them to a colleague, ticket by ticket", async () => {
    const free = await ticketIn(home);
    const taken = await ticketIn(home);
    expect(
      (await bulk(moderator, { ticketIds: [taken], action: "assign", assigneeId: colleagueId })).status,
    ).toBe(200);
    const give = await (
      await bulk(agent, { ticketIds: [free], action: "assign", assigneeId: colleagueId })
    ).json();
    expect(give.results).toEqual([{ ticketId: free, ok: false, code: "FORBIDDEN", reason: null }]);
    const take = await (
      await bulk(agent, { ticketIds: [free, taken], action: "assign", assigneeId: agent.user.id })
    ).json();
    expect(take.results[0]).toEqual({ ticketId: free, ok: true });
    expect(take.results[1]).toMatchObject({
      ticketId: taken,
      ok: false,
      code: "CONFLICT",
      reason: "already_assigned",
    });
    expect((await row(free)).assigneeId).toBe(agent.user.id);
    expect((await row(taken)).assigneeId).toBe(colleagueId);
  });

  it("moves statuses along the lifecycle and refuses an illegal move for that ticket only", async () => {
    const open = await ticketIn(home);
    const closed = await ticketIn(home);
    await bulk(moderator, { ticketIds: [closed], action: "status", status: "closed" });
    expect((await row(closed)).status).toBe("closed");
    const res = await (
      await bulk(moderator, { ticketIds: [open, closed], action: "status", status: "waiting_customer" })
    ).json();
    expect(res.results[0]).toEqual({ ticketId: open, ok: true });
    expect(res.results[1]).toMatchObject({ ticketId: closed, ok: false, code: "INVALID_TRANSITION" });
    expect((await row(open)).status).toBe("waiting_customer");
    expect((await row(closed)).status).toBe("closed");
  });

  it("adds and removes one label, keeping the others", async () => {
    const [urgent] = await w.db.insert(labels).values({ name: "bulk-urgent", color: "#cc0000" }).returning();
    const [vip] = await w.db.insert(labels).values({ name: "bulk-vip", color: "#00cc00" }).returning();
    const a = await ticketIn(home);
    const b = await ticketIn(home);
    await w.db.insert(ticketLabels).values({ ticketId: a, labelId: vip.id });
    const labelsOf = async (id: string) =>
      (await w.db.select().from(ticketLabels).where(eq(ticketLabels.ticketId, id)))
        .map((l) => l.labelId)
        .sort();
    const added = await (
      await bulk(agent, { ticketIds: [a, b], action: "label", labelId: urgent.id })
    ).json();
    expect(added.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(await labelsOf(a)).toEqual([urgent.id, vip.id].sort());
    expect(await labelsOf(b)).toEqual([urgent.id]);
    await bulk(agent, { ticketIds: [a, b], action: "label", labelId: urgent.id, remove: true });
    expect(await labelsOf(a)).toEqual([vip.id]);
    expect(await labelsOf(b)).toEqual([]);
    const history = await w.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, b), eq(ticketEvents.kind, "label")));
    expect(history).toHaveLength(2);
  });

  it("refuses requesters and auditors outright, changing nothing", async () => {
    const id = await ticketIn(home);
    for (const who of [requester, auditor]) {
      const res = await bulk(who, { ticketIds: [id], action: "status", status: "resolved" });
      expect(res.status).toBe(403);
      expect((await res.json()).code).toBe("FORBIDDEN");
    }
    expect((await row(id)).status).toBe("open");
  });

  it("validates the batch: ids, size and the action's own fields", async () => {
    const id = await ticketIn(home);
    const bad = [
      { ticketIds: [], action: "status", status: "resolved" },
      { ticketIds: Array.from({ length: 101 }, () => id), action: "status", status: "resolved" },
      { ticketIds: ["not-a-uuid"], action: "status", status: "resolved" },
      { ticketIds: [id], action: "status", status: "done" },
      { ticketIds: [id], action: "delete" },
      { ticketIds: [id], action: "label" },
    ];
    for (const body of bad) expect((await bulk(moderator, body)).status).toBe(422);
    expect((await row(id)).status).toBe("open");
  });
});
