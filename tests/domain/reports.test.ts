import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Branch, businessCalendars } from "../../drizzle/schema/index.js";
import type { User } from "../../server/domain/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createSlaPolicy,
  createTicket,
  getAgentsReport,
  getBreakdownReport,
  getCsatReport,
  getSlaReport,
  getTimingsReport,
  getVolumeReport,
  rateTicket,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * Report definitions (docs/REPORTS.md) on one hand-built history in Asia/Tehran
 * (+03:30), with exact numbers. Each report is filtered to the test's branch, so other
 * tickets of the shared database do not count.
 */
const world = setupTestWorld();
let w: World;
let b: Branch;
let agent: User;
let requester: User;
const at = (iso: string) => w.clock.set(new Date(iso));
const range = () => ({ from: "2026-03-02", to: "2026-03-04", branchId: b.id });

beforeAll(async () => {
  w = world();
  b = await w.branch();
  const admin = await w.user("admin");
  agent = await w.user("agent", { branchId: b.id });
  requester = await w.user("requester", { branchId: b.id });
  const categoryId = await w.categoryId();
  at("2026-03-01T00:00:00Z");
  await createSlaPolicy({
    ctx: w.ctx(admin),
    input: {
      name: "branch",
      priority: "normal",
      branchId: b.id,
      firstResponseMinutes: 90,
      resolutionMinutes: 600,
    },
  });
  const asAgent = w.ctx(agent);
  const asRequester = w.ctx(requester);
  const open = async (iso: string, title: string) => {
    at(iso);
    return createTicket({ ctx: asRequester, input: { title, categoryId } });
  };
  const say = async (iso: string, ctx: typeof asAgent, ticketId: string, body: string) => {
    at(iso);
    await addTicketMessage({ ctx, input: { ticketId, body } });
  };
  const status = async (iso: string, ticketId: string, to: "resolved" | "closed") => {
    at(iso);
    await changeTicketStatus({ ctx: asAgent, input: { ticketId, status: to } });
  };
  // T1, Monday 2 March 10:00 Tehran: answered in 1 h, a follow-up answered in 30 min, resolved after 4 h, 5 stars.
  const t1 = await open("2026-03-02T06:30:00Z", "Printer one");
  await assignTicket({ ctx: asAgent, input: { ticketId: t1.id, assigneeId: agent.id } });
  await say("2026-03-02T07:30:00Z", asAgent, t1.id, "On it");
  await say("2026-03-02T08:00:00Z", asRequester, t1.id, "Still broken");
  await say("2026-03-02T08:30:00Z", asAgent, t1.id, "Fixed now");
  await status("2026-03-02T10:30:00Z", t1.id, "resolved");
  await rateTicket({ ctx: asRequester, input: { ticketId: t1.id, rating: 5 } });
  // T2: answered in 2 h, resolved after 24 h (not rated), reopened by the requester, closed after 48 h, 2 stars.
  const t2 = await open("2026-03-02T07:00:00Z", "Printer two");
  await assignTicket({ ctx: asAgent, input: { ticketId: t2.id, assigneeId: agent.id } });
  await say("2026-03-02T09:00:00Z", asAgent, t2.id, "Looking");
  await status("2026-03-03T07:00:00Z", t2.id, "resolved");
  await say("2026-03-03T12:00:00Z", asRequester, t2.id, "It broke again");
  await status("2026-03-04T07:00:00Z", t2.id, "closed");
  await rateTicket({ ctx: asRequester, input: { ticketId: t2.id, rating: 2 } });
  // T3 at 23:30 on 3 March Tehran, T4 at 00:30 on 4 March Tehran (still 3 March in UTC): never answered.
  await open("2026-03-03T20:00:00Z", "Late one");
  await open("2026-03-03T21:00:00Z", "After midnight");
  at("2026-03-05T08:00:00Z");
});

describe("reports on a hand-built history", () => {
  it("counts created, resolved, closed and reopened per local day, and the backlog at each day's end", async () => {
    const v = await getVolumeReport({ ctx: w.ctx(agent), input: range() });
    expect(v.buckets).toEqual([
      { bucket: "2026-03-02", created: 2, resolved: 1, closed: 0, reopened: 0 },
      { bucket: "2026-03-03", created: 1, resolved: 1, closed: 0, reopened: 1 },
      { bucket: "2026-03-04", created: 1, resolved: 0, closed: 1, reopened: 0 },
    ]);
    expect(v.totals).toEqual({ created: 4, resolved: 2, closed: 1, reopened: 1 });
    expect(v.backlog).toEqual([
      { day: "2026-03-02", open: 1 },
      { day: "2026-03-03", open: 2 },
      { day: "2026-03-04", open: 2 },
    ]);
    const weekly = await getVolumeReport({ ctx: w.ctx(agent), input: { ...range(), interval: "week" } });
    expect(weekly.buckets).toEqual([
      { bucket: "2026-03-02", created: 4, resolved: 2, closed: 1, reopened: 1 },
    ]);
  });

  it("measures first response, next response and resolution as median and p90 in seconds", async () => {
    const t = await getTimingsReport({ ctx: w.ctx(agent), input: range() });
    expect(t.firstResponse).toEqual({ count: 2, median: 5400, p90: 6840, average: 5400 });
    expect(t.nextResponse).toEqual({ count: 1, median: 1800, p90: 1800, average: 1800 });
    // Finishes: 4 h (T1), 24 h and 48 h (T2's two resolutions).
    expect(t.resolution).toEqual({ count: 3, median: 86_400, p90: 155_520, average: 91_200 });
  });

  it("counts the same times in business hours, over the branch's calendar", async () => {
    expect((await getTimingsReport({ ctx: w.ctx(agent), input: range() })).businessHours).toBeNull();
    // Every day 08:00–16:00 Tehran time.
    const week = Object.fromEntries(
      ["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, [["08:00", "16:00"]]]),
    );
    await w.db
      .insert(businessCalendars)
      .values({ name: "Branch", branchId: b.id, timeZone: "Asia/Tehran", week, holidays: [] });
    const t = await getTimingsReport({ ctx: w.ctx(agent), input: range() });
    expect(t.businessHours?.firstResponse).toEqual({ count: 2, median: 5400, p90: 6840, average: 5400 });
    expect(t.businessHours?.nextResponse).toEqual({ count: 1, median: 1800, p90: 1800, average: 1800 });
    // T1 4 h; T2 10:30 → next day 10:30 is 5.5 + 2.5 = 8 working hours, → the day after 16 h.
    expect(t.businessHours?.resolution).toEqual({ count: 3, median: 28_800, p90: 51_840, average: 33_600 });
    expect(t.resolution.median).toBe(86_400); // wall time is unchanged
    await w.db.delete(businessCalendars).where(eq(businessCalendars.branchId, b.id));
  });

  it("counts ratings per resolution: average, response rate, satisfied share", async () => {
    const { csat } = await getCsatReport({ ctx: w.ctx(agent), input: range() });
    expect(csat).toEqual({
      resolutions: 3,
      rated: 2,
      responseRate: 2 / 3,
      average: 3.5,
      satisfied: 0.5,
      distribution: [0, 1, 0, 0, 1],
    });
  });

  it("gives each agent's handled tickets, replies, finishes, median first response and CSAT", async () => {
    const { agents } = await getAgentsReport({ ctx: w.ctx(agent), input: range() });
    expect(agents).toEqual([
      {
        userId: agent.id,
        name: agent.firstName,
        role: "agent",
        handled: 2,
        replies: 3,
        resolved: 3,
        medianFirstResponse: 5400,
        firstResponses: 2,
        csatAverage: 3.5,
        ratings: 2,
      },
    ]);
  });

  it("reports SLA targets that ended in the range: met, late, breached", async () => {
    const s = await getSlaReport({ ctx: w.ctx(agent), input: range() });
    const byTarget = Object.fromEntries(s.targets.map((x) => [x.target, x]));
    expect(byTarget.first_response).toMatchObject({ met: 1, metLate: 1, breached: 0, compliance: 0.5 });
    expect(byTarget.resolution).toMatchObject({ met: 1, metLate: 1, breached: 0, compliance: 0.5 });
    expect(byTarget.next_response).toMatchObject({ met: 0, metLate: 0, breached: 0, compliance: null });
  });

  it("breaks down by priority and channel", async () => {
    const p = await getBreakdownReport({ ctx: w.ctx(agent), input: { ...range(), by: "priority" } });
    expect(p.rows).toEqual([
      { key: "normal", name: null, created: 4, resolved: 3, open: 2, medianFirstResponse: 5400 },
    ]);
    const c = await getBreakdownReport({ ctx: w.ctx(agent), input: { ...range(), by: "channel" } });
    expect(c.rows.map((r) => [r.key, r.created, r.open])).toEqual([
      ["bot", 2, 0],
      ["none", 2, 2],
    ]);
    expect(c.totals).toEqual({ created: 4, resolved: 3, open: 2 });
  });
});

describe("report scope and input", () => {
  it("shows a branch auditor only their branch; refuses requesters; checks the range", async () => {
    const other = await w.branch();
    const outsider = await w.user("requester", { branchId: other.id });
    at("2026-03-03T09:00:00Z");
    await createTicket({
      ctx: w.ctx(outsider),
      input: { title: "Elsewhere", categoryId: await w.categoryId() },
    });
    const auditor = await w.user("auditor", { branchId: b.id });
    const admin = await w.user("admin");
    const created = async (u: User, branchId?: string) =>
      (await getVolumeReport({ ctx: w.ctx(u), input: { from: "2026-03-02", to: "2026-03-04", branchId } }))
        .totals.created;
    expect(await created(auditor, other.id)).toBe(0);
    expect(await created(auditor, b.id)).toBe(4);
    expect(await created(admin, other.id)).toBe(1);
    expect(await outcome(getVolumeReport({ ctx: w.ctx(requester), input: {} }))).toBe("FORBIDDEN");
    expect(
      await outcome(getVolumeReport({ ctx: w.ctx(admin), input: { from: "2026-03-05", to: "2026-03-01" } })),
    ).toBe("VALIDATION");
    expect(
      await outcome(getVolumeReport({ ctx: w.ctx(admin), input: { from: "2020-01-01", to: "2026-03-01" } })),
    ).toBe("VALIDATION");
  });

  it("defaults to the last 30 local days up to today", async () => {
    at("2026-03-05T22:00:00Z"); // 6 March 01:30 in Tehran
    const v = await getVolumeReport({ ctx: w.ctx(agent), input: {} });
    expect(v.range).toMatchObject({ from: "2026-02-05", to: "2026-03-06", interval: "day" });
    expect(v.buckets).toHaveLength(30);
    expect(v.backlog.at(-1)).toEqual({ day: "2026-03-06", open: expect.any(Number) });
  });
});
