import { and, eq } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import {
  businessCalendars,
  notifications,
  type Priority,
  scheduledJobs,
  slaPolicies,
  type Ticket,
  ticketEvents,
  tickets,
} from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
  scheduleSlaRecalc,
  updateTicket,
} from "../../server/domain/index.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const logger = pino({ level: "silent" });
const scheduler = (extra: { leaseMs?: number } = {}) =>
  createScheduler({
    db: w.db,
    clock: w.clock,
    system: () => w.system(),
    handlers: jobHandlers,
    logger,
    ...extra,
  });
const at = (iso: string) => w.clock.set(new Date(iso));
const reload = async (id: string) => (await w.db.select().from(tickets).where(eq(tickets.id, id)))[0];
const eventsOf = async (id: string, kind: "sla_warning" | "sla_breach") =>
  w.db
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.kind, kind)));
const noticesOf = (id: string, type: "sla_warning" | "sla_breach") =>
  w.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.ticketId, id), eq(notifications.type, type)));

/** A branch of its own with a policy for one priority, so each test's rules are its own. */
async function scope(policy: Partial<typeof slaPolicies.$inferInsert>, priority: Priority = "high") {
  const branch = await w.branch();
  await w.db.insert(slaPolicies).values({ name: "test", priority, branchId: branch.id, ...policy });
  const agent = await w.user("agent", { branchId: branch.id });
  const moderator = await w.user("moderator", { branchId: branch.id });
  const requester = await w.user("requester", { branchId: branch.id });
  const open = async (p: Priority = priority): Promise<Ticket> =>
    createTicket({
      ctx: w.ctx(requester),
      input: { title: "Projector", categoryId: await w.categoryId(), priority: p },
    });
  return { branch, agent, moderator, requester, open };
}

describe("SLA clocks", () => {
  it("warns the assignee at 80%, breaches at the due time with escalation, each once, then meets late", async () => {
    at("2027-01-06T08:00:00Z");
    const s = await scope({
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
      escalation: { raisePriority: true, reassignToModerator: true, notifyChatId: -100777 },
    });
    const t = await s.open();
    expect(t.slaState).toBe("on_track");
    expect(t.firstResponseDueAt?.toISOString()).toBe("2027-01-06T09:00:00.000Z");
    await assignTicket({ ctx: w.ctx(s.agent), input: { ticketId: t.id, assigneeId: s.agent.id } });
    const job = (
      await w.db
        .select()
        .from(scheduledJobs)
        .where(eq(scheduledJobs.key, `sla:${t.id}`))
    )[0];
    expect(job.runAt.toISOString()).toBe("2027-01-06T08:48:00.000Z");

    at("2027-01-06T08:47:00Z");
    await scheduler().runDue();
    expect(await eventsOf(t.id, "sla_warning")).toHaveLength(0);
    at("2027-01-06T08:48:30Z");
    await scheduler().runDue();
    await scheduler().runDue();
    expect(await eventsOf(t.id, "sla_warning")).toHaveLength(1);
    expect((await noticesOf(t.id, "sla_warning")).map((n) => n.recipientId)).toEqual([s.agent.id]);
    expect((await reload(t.id)).slaState).toBe("at_risk");

    at("2027-01-06T09:00:01Z");
    await scheduler().runDue();
    await scheduler().runDue();
    const breaches = await eventsOf(t.id, "sla_breach");
    expect(breaches.map((e) => e.toValue)).toEqual(["first_response"]);
    const after = await reload(t.id);
    expect(after.slaState).toBe("breached");
    expect(after.priority).toBe("critical");
    expect(after.assigneeId).toBe(s.moderator.id);
    expect(after.escalatedAt).not.toBeNull();
    // The escalation's changes are history rows of their own, saying why.
    const escalation = await w.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.comment, "sla_escalation")));
    expect(escalation.map((e) => [e.kind, e.toValue]).sort()).toEqual([
      ["assign", s.moderator.id],
      ["priority", "critical"],
    ]);
    const told = await noticesOf(t.id, "sla_breach");
    // The staff chat, the escalation's chat and the scope's moderator (now also the assignee, once).
    expect(told.map((n) => n.chatId).sort()).toEqual([-1001000, -100777, s.moderator.telegramId].sort());
    expect(told[0].payload).toMatchObject({ target: "first_response", raise: "breach" });

    await addTicketMessage({ ctx: w.ctx(s.moderator), input: { ticketId: t.id, body: "On it" } });
    const answered = await reload(t.id);
    expect(answered.slaClock?.targets.first_response?.state).toBe("met_late");
    expect(answered.firstResponseDueAt).toBeNull();
    expect(answered.slaState).toBe("breached");
  });

  it("counts business hours of the branch's calendar, and stands still while waiting for the requester", async () => {
    const s = await scope({ firstResponseMinutes: 60, resolutionMinutes: 240, businessHours: true });
    await w.db.insert(businessCalendars).values({
      name: "Iran week",
      timeZone: "Asia/Tehran",
      branchId: s.branch.id,
      week: {
        "6": [["08:00", "16:00"]],
        "0": [["08:00", "16:00"]],
        "3": [["08:00", "16:00"]],
        "4": [["08:00", "12:00"]],
      },
      holidays: ["2027-01-09"],
    });
    // Thursday 11:30 Tehran: 30 minutes today, Friday off, Saturday a holiday, Sunday from 08:00.
    at("2027-01-07T08:00:00Z");
    const t = await s.open();
    expect(t.firstResponseDueAt?.toISOString()).toBe("2027-01-10T05:00:00.000Z");
    expect(t.resolutionDueAt?.toISOString()).toBe("2027-01-10T08:00:00.000Z");

    at("2027-01-10T04:40:00Z"); // Sunday 08:10: 40 of 60 response minutes used
    await addTicketMessage({ ctx: w.ctx(s.agent), input: { ticketId: t.id, body: "Which room?" } });
    await changeTicketStatus({ ctx: w.ctx(s.agent), input: { ticketId: t.id, status: "waiting_customer" } });
    const waiting = await reload(t.id);
    expect(waiting.resolutionDueAt).toBeNull();
    expect(waiting.slaClock?.targets.first_response?.state).toBe("met");

    at("2027-01-10T06:40:00Z"); // two hours later the requester answers: the clock goes on
    await addTicketMessage({ ctx: w.ctx(s.requester), input: { ticketId: t.id, body: "Room 12" } });
    const resumed = await reload(t.id);
    expect(resumed.status).not.toBe("waiting_customer");
    // 40 of 240 resolution minutes were used before the pause (Thursday 30 + Sunday 10).
    expect(resumed.resolutionDueAt?.toISOString()).toBe("2027-01-10T10:00:00.000Z");
  });

  it("follows a priority change to another policy's targets", async () => {
    at("2027-01-06T08:00:00Z");
    const s = await scope({ firstResponseMinutes: 240 }, "low");
    await w.db
      .insert(slaPolicies)
      .values({ name: "fast", priority: "critical", branchId: s.branch.id, firstResponseMinutes: 15 });
    const t = await s.open("low");
    expect(t.firstResponseDueAt?.toISOString()).toBe("2027-01-06T12:00:00.000Z");
    at("2027-01-06T08:30:00Z");
    await updateTicket({ ctx: w.ctx(s.agent), input: { ticketId: t.id, priority: "critical" } });
    const raised = await reload(t.id);
    expect(raised.firstResponseDueAt?.toISOString()).toBe("2027-01-06T08:15:00.000Z");
    expect(
      (
        await w.db
          .select()
          .from(scheduledJobs)
          .where(eq(scheduledJobs.key, `sla:${t.id}`))
      )[0].runAt.getTime(),
    ).toBeLessThanOrEqual(Date.parse("2027-01-06T08:30:01Z"));
  });

  it("recomputes open tickets after a policy edit, through the batched sla_recalc job", async () => {
    at("2027-01-06T08:00:00Z");
    const s = await scope({ resolutionMinutes: 600 }, "normal");
    const t = await s.open("normal");
    expect(t.resolutionDueAt?.toISOString()).toBe("2027-01-06T18:00:00.000Z");
    await w.db
      .update(slaPolicies)
      .set({ resolutionMinutes: 120 })
      .where(eq(slaPolicies.branchId, s.branch.id));
    await scheduleSlaRecalc(w.db, w.clock.now());
    while ((await scheduler().runDue()) > 0) {}
    expect((await reload(t.id)).resolutionDueAt?.toISOString()).toBe("2027-01-06T10:00:00.000Z");
  });

  it("raises a breach once when the instance running its job died, after the lease ran out", async () => {
    at("2027-01-06T08:00:00Z");
    const s = await scope({ firstResponseMinutes: 30 });
    const t = await s.open();
    at("2027-01-06T08:31:00Z");
    // A crash: the claim committed, the run never finished.
    await w.db
      .update(scheduledJobs)
      .set({ state: "running", leaseUntil: new Date("2027-01-06T08:36:00Z"), attempts: 1 })
      .where(eq(scheduledJobs.key, `sla:${t.id}`));
    await scheduler().runDue();
    expect(await eventsOf(t.id, "sla_breach")).toHaveLength(0);
    at("2027-01-06T08:37:00Z");
    await scheduler().runDue();
    await scheduler().runDue();
    expect(await eventsOf(t.id, "sla_breach")).toHaveLength(1);
  });

  it("raises each breach once with two instances running at the same time", async () => {
    at("2027-01-06T08:00:00Z");
    const s = await scope({ firstResponseMinutes: 10 });
    const opened = [];
    for (let i = 0; i < 12; i++) opened.push(await s.open());
    at("2027-01-06T08:11:00Z");
    const a = scheduler();
    const b = scheduler();
    for (let round = 0; round < 3; round++) await Promise.all([a.runDue(), b.runDue()]);
    for (const t of opened) expect(await eventsOf(t.id, "sla_breach")).toHaveLength(1);
  });
});
