import { and, eq } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import type { Branch } from "../../drizzle/schema/index.js";
import {
  auditLog,
  notifications,
  scheduledJobs,
  ticketEvents,
  tickets,
  users,
} from "../../drizzle/schema/index.js";
import {
  assignTicket,
  changeTicketStatus,
  createTicket,
  drainJobKey,
  runAutoAssign,
  setAssignmentPolicy,
  setAway,
  setUserCapacity,
  type Ticket,
  type User,
} from "../../server/domain/index.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
let admin: User;
beforeAll(async () => {
  w = world();
  admin = await w.user("admin");
});

const MINUTE = 60_000;
const later = (ms = MINUTE) => w.clock.set(new Date(w.clock.now().getTime() + ms));
const scheduler = () =>
  createScheduler({
    db: w.db,
    clock: w.clock,
    system: () => w.system(),
    handlers: jobHandlers,
    logger: pino({ level: "silent" }),
  });

async function scope(strategy: "off" | "round_robin" | "least_busy", capacity = 10) {
  const branch = await w.branch();
  await setAssignmentPolicy({ ctx: w.ctx(admin), input: { branchId: branch.id, strategy, capacity } });
  return branch;
}
async function ticketIn(branch: Branch | null, code = "network"): Promise<Ticket> {
  const requester = await w.user("requester", { branchId: branch?.id ?? null });
  later();
  return createTicket({
    ctx: w.ctx(requester),
    input: { title: "Printer", categoryId: await w.categoryId(code) },
  });
}
const assigneeOf = async (t: Ticket) => (await w.db.select().from(tickets).where(eq(tickets.id, t.id)))[0];
/** Creates the ticket and runs the jobs due, like the running server would. */
async function createAndRun(branch: Branch | null, code = "network") {
  const t = await ticketIn(branch, code);
  await scheduler().runDue();
  return assigneeOf(t);
}

describe("auto-assignment", () => {
  it("leaves tickets alone where the policy is off or missing", async () => {
    const off = await scope("off");
    await w.user("agent", { branchId: off.id });
    expect((await createAndRun(off)).assigneeId).toBeNull();
    const none = await w.branch();
    await w.user("agent", { branchId: none.id });
    const t = await ticketIn(none);
    const jobs = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `auto_assign:ticket:${t.id}`));
    expect(jobs).toEqual([]);
  });

  it("least busy: the agent with fewest open tickets, ties to the longest idle; writes the reason and moves it on", async () => {
    const b = await scope("least_busy");
    const [a1, a2] = [await w.user("agent", { branchId: b.id }), await w.user("agent", { branchId: b.id })];
    const first = await createAndRun(b);
    // Nobody assigned yet: ties go to the one never assigned, then by id.
    const second = await createAndRun(b);
    expect(new Set([first.assigneeId, second.assigneeId])).toEqual(new Set([a1.id, a2.id]));
    // a2 finishes theirs: a2 has fewer open tickets now, and gets the next one.
    const a2Ticket = first.assigneeId === a2.id ? first : second;
    await changeTicketStatus({ ctx: w.ctx(a2), input: { ticketId: a2Ticket.id, status: "resolved" } });
    expect((await createAndRun(b)).assigneeId).toBe(a2.id);

    expect(first.status).toBe("in_progress");
    const [event] = await w.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, first.id), eq(ticketEvents.kind, "assign")));
    expect(event).toMatchObject({
      actorId: null,
      fromValue: null,
      toValue: first.assigneeId,
      comment: "auto:least_busy",
    });
    const told = await w.db.select().from(notifications).where(eq(notifications.ticketId, first.id));
    expect(told.some((n) => n.type === "assigned" && n.recipientId === first.assigneeId)).toBe(true);
  });

  it("round robin: each agent in turn, by longest idle, whatever their load", async () => {
    const b = await scope("round_robin");
    const agents = [await w.user("agent", { branchId: b.id }), await w.user("agent", { branchId: b.id })];
    const got: (string | null)[] = [];
    for (let i = 0; i < 4; i++) got.push((await createAndRun(b)).assigneeId);
    expect(got[0]).not.toBe(got[1]);
    expect(got.slice(2)).toEqual(got.slice(0, 2));
    expect(new Set(got)).toEqual(new Set(agents.map((a) => a.id)));
    const [event] = await w.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.toValue, got[0] as string), eq(ticketEvents.kind, "assign")));
    expect(event.comment).toBe("auto:round_robin");
  });

  it("passes by the away, the inactive, moderators, other branches and agents without the skill", async () => {
    const b = await scope("least_busy");
    const other = await w.branch();
    const network = await w.categoryId("network");
    const software = await w.categoryId("software");
    await w.user("agent", { branchId: b.id, away: true });
    await w.user("agent", { branchId: b.id, isActive: false });
    await w.user("moderator", { branchId: b.id });
    await w.user("agent", { branchId: other.id });
    await w.user("agent", { branchId: b.id, skills: [software] });
    expect((await createAndRun(b)).assigneeId).toBeNull();
    // An empty skills list covers every category; a listed skill covers its own.
    const skilled = await w.user("agent", { branchId: b.id, skills: [network] });
    const generalist = await w.user("agent", { skills: [] });
    const got = [(await createAndRun(b)).assigneeId, (await createAndRun(b)).assigneeId];
    expect(new Set(got)).toEqual(new Set([skilled.id, generalist.id]));
    // A branchless agent works every branch: out of the other tests' way.
    await w.db.update(users).set({ isActive: false }).where(eq(users.id, generalist.id));
  });

  it("stops at capacity (the agent's own maximum first) and drains the oldest waiting ticket when someone frees up", async () => {
    const b = await scope("least_busy", 2);
    const agent = await w.user("agent", { branchId: b.id });
    const held = [await createAndRun(b), await createAndRun(b)];
    expect(held.map((t) => t.assigneeId)).toEqual([agent.id, agent.id]);
    const waitingOld = await createAndRun(b);
    const waitingNew = await createAndRun(b);
    expect([waitingOld.assigneeId, waitingNew.assigneeId]).toEqual([null, null]);

    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: held[0].id, status: "resolved" } });
    const [drain] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, drainJobKey(b.id)));
    expect(drain.state).toBe("pending");
    await scheduler().runDue();
    expect((await assigneeOf(waitingOld)).assigneeId).toBe(agent.id);
    expect((await assigneeOf(waitingNew)).assigneeId).toBeNull();

    // Their own maximum overrides the policy's: one more slot takes the last one.
    await setUserCapacity({ ctx: w.ctx(admin), input: { userId: agent.id, maxOpenTickets: 3 } });
    await scheduler().runDue();
    expect((await assigneeOf(waitingNew)).assigneeId).toBe(agent.id);
    const [audit] = await w.db.select().from(auditLog).where(eq(auditLog.action, "user.set_capacity"));
    expect(audit.after).toEqual({ maxOpenTickets: 3 });
  });

  it("an agent letting go of a ticket, or coming back from away, gets the waiting tickets moving", async () => {
    const b = await scope("round_robin", 1);
    const agent = await w.user("agent", { branchId: b.id });
    const mine = await createAndRun(b);
    const waiting = await createAndRun(b);
    expect(waiting.assigneeId).toBeNull();
    await setAway({ ctx: w.ctx(agent), input: { away: true } });
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: mine.id, assigneeId: null } });
    await scheduler().runDue();
    // Away: nothing given, though there is room.
    expect((await assigneeOf(waiting)).assigneeId).toBeNull();
    await setAway({ ctx: w.ctx(agent), input: { away: false } });
    await scheduler().runDue();
    // The oldest waiting ticket (the one they let go of) is theirs again; the other still waits.
    expect((await assigneeOf(mine)).assigneeId).toBe(agent.id);
    expect((await assigneeOf(waiting)).assigneeId).toBeNull();
  });

  it("drains oldest first and stops when nobody has room; running it again assigns nothing twice", async () => {
    const b = await w.branch();
    const agent = await w.user("agent", { branchId: b.id, maxOpenTickets: 3 });
    const waiting = [];
    for (let i = 0; i < 5; i++) waiting.push(await ticketIn(b));
    await setAssignmentPolicy({ ctx: w.ctx(admin), input: { branchId: b.id, strategy: "least_busy" } });
    expect(await runAutoAssign({ ctx: w.system(), input: { branchId: b.id, drain: true } })).toEqual({
      assigned: 3,
    });
    expect(await runAutoAssign({ ctx: w.system(), input: { branchId: b.id, drain: true } })).toEqual({
      assigned: 0,
    });
    const got = await Promise.all(waiting.map(async (t) => (await assigneeOf(t)).assigneeId));
    expect(got).toEqual([agent.id, agent.id, agent.id, null, null]);
  });

  it("applies a category's own policy over the branch's", async () => {
    const b = await scope("least_busy");
    const software = await w.categoryId("software");
    await setAssignmentPolicy({
      ctx: w.ctx(admin),
      input: { branchId: b.id, categoryId: software, strategy: "off" },
    });
    await w.user("agent", { branchId: b.id });
    expect((await createAndRun(b, "software")).assigneeId).toBeNull();
    expect((await createAndRun(b, "network")).assigneeId).not.toBeNull();
  });

  it("lets only admins set policies, only staff mark themselves away, and only the system run the job", async () => {
    const b = await w.branch();
    const agent = await w.user("agent", { branchId: b.id });
    const moderator = await w.user("moderator", { branchId: b.id });
    const requester = await w.user("requester");
    const input = { branchId: b.id, strategy: "round_robin" };
    expect(await outcome(setAssignmentPolicy({ ctx: w.ctx(moderator), input }))).toBe("FORBIDDEN");
    expect(await outcome(setAssignmentPolicy({ ctx: w.ctx(agent), input }))).toBe("FORBIDDEN");
    expect(await outcome(setAway({ ctx: w.ctx(requester), input: { away: true } }))).toBe("FORBIDDEN");
    expect(await outcome(runAutoAssign({ ctx: w.ctx(admin), input: { branchId: b.id, drain: true } }))).toBe(
      "FORBIDDEN",
    );
    // Moderators set their own agents' capacity, not an admin's.
    expect(
      await outcome(
        setUserCapacity({ ctx: w.ctx(moderator), input: { userId: agent.id, maxOpenTickets: 4 } }),
      ),
    ).toBe("ok");
    expect(
      await outcome(
        setUserCapacity({ ctx: w.ctx(moderator), input: { userId: admin.id, maxOpenTickets: 4 } }),
      ),
    ).toBe("FORBIDDEN");
    expect((await w.db.select().from(users).where(eq(users.id, agent.id)))[0].maxOpenTickets).toBe(4);
  });
});
