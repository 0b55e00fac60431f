import { eq } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, scheduledJobs, ticketEvents, tickets } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  changeTicketStatus,
  createTicket,
  scheduleJob,
  syncAutoCloseJobs,
  updateSettings,
} from "../../server/domain/index.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler, type JobHandlers } from "../../server/jobs/scheduler/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const HOUR = 3_600_000;
const logger = pino({ level: "silent" });
const schedulerWith = (handlers: JobHandlers, extra: { leaseMs?: number; maxAttempts?: number } = {}) =>
  createScheduler({ db: w.db, clock: w.clock, system: () => w.system(), handlers, logger, ...extra });
const jobOf = async (key: string) =>
  (await w.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, key)))[0];
const later = (ms: number) => w.clock.set(new Date(w.clock.now().getTime() + ms));

describe("the durable scheduler", () => {
  it("runs a job once its time has come by the clock, and once only", async () => {
    const ran: unknown[] = [];
    const scheduler = schedulerWith({ auto_close: async (_ctx, p) => ran.push(p.n) });
    const start = w.clock.now();
    await scheduleJob(w.db, {
      kind: "auto_close",
      key: "test:once",
      runAt: new Date(start.getTime() + HOUR),
      payload: { n: 1 },
    });
    await scheduler.runDue();
    expect(ran).toEqual([]);
    later(HOUR);
    await scheduler.runDue();
    await scheduler.runDue();
    expect(ran).toEqual([1]);
    expect((await jobOf("test:once")).state).toBe("done");
  });

  it("takes over a job whose instance died while running it, once its lease ran out", async () => {
    const ran: string[] = [];
    await scheduleJob(w.db, { kind: "auto_close", key: "test:crash", runAt: w.clock.now() });
    // A crash: the claim committed, the run never finished (simulated by a claim with no outcome).
    await w.db
      .update(scheduledJobs)
      .set({ state: "running", leaseUntil: new Date(w.clock.now().getTime() + 60_000) })
      .where(eq(scheduledJobs.key, "test:crash"));
    const survivor = schedulerWith({ auto_close: async () => ran.push("ran") });
    await survivor.runDue();
    expect(ran).toEqual([]);
    later(61_000);
    await survivor.runDue();
    expect(ran).toEqual(["ran"]);
  });

  it("lets an old run that finishes after its job was taken over leave the new run's job alone", async () => {
    let release: () => void = () => {};
    const slow = schedulerWith(
      { auto_close: () => new Promise<void>((r) => (release = r)) },
      { leaseMs: 60_000 },
    );
    await scheduleJob(w.db, { kind: "auto_close", key: "test:fence", runAt: w.clock.now() });
    const first = slow.runDue();
    await new Promise((r) => setTimeout(r, 200));
    later(61_000);
    let secondRan = false;
    await schedulerWith({
      auto_close: async () => {
        secondRan = true;
        throw new Error("the second run failed");
      },
    }).runDue();
    expect(secondRan).toBe(true);
    release();
    await first;
    // The first run's "done" does not hide the second run's failure: the job is due again.
    expect(await jobOf("test:fence")).toMatchObject({
      state: "pending",
      attempts: 2,
      lastError: "the second run failed",
    });
  });

  it("fails a job whose runs keep taking their instance down, instead of taking it over for ever", async () => {
    await scheduleJob(w.db, { kind: "auto_close", key: "test:poison", runAt: w.clock.now() });
    await w.db
      .update(scheduledJobs)
      .set({ state: "running", attempts: 3, leaseUntil: w.clock.now() })
      .where(eq(scheduledJobs.key, "test:poison"));
    const ran: string[] = [];
    later(1000);
    await schedulerWith({ auto_close: async () => ran.push("ran") }, { maxAttempts: 3 }).runDue();
    expect(ran).toEqual([]);
    expect((await jobOf("test:poison")).state).toBe("failed");
  });

  it("retries a failing job later, and leaves it failed with its error after the last attempt", async () => {
    let calls = 0;
    const scheduler = schedulerWith(
      {
        auto_close: async () => {
          calls++;
          throw new Error("Telegram is down");
        },
      },
      { maxAttempts: 2 },
    );
    await scheduleJob(w.db, { kind: "auto_close", key: "test:fails", runAt: w.clock.now() });
    await scheduler.runDue();
    expect(await jobOf("test:fails")).toMatchObject({
      state: "pending",
      attempts: 1,
      lastError: "Telegram is down",
    });
    await scheduler.runDue();
    expect(calls).toBe(1); // not before its backoff
    later(61_000);
    await scheduler.runDue();
    expect(calls).toBe(2);
    expect(await jobOf("test:fails")).toMatchObject({ state: "failed", attempts: 2 });
  });

  it("runs each job once when two schedulers share the database", async () => {
    const ran: string[] = [];
    const handlers: JobHandlers = { auto_close: async (_c, p) => ran.push(String(p.i)) };
    for (let i = 0; i < 20; i++)
      await scheduleJob(w.db, {
        kind: "auto_close",
        key: `test:pair:${i}`,
        runAt: w.clock.now(),
        payload: { i },
      });
    const [a, b] = [schedulerWith(handlers), schedulerWith(handlers)];
    await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    expect(ran.filter((r) => Number(r) < 20).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i)).sort(),
    );
  });
});

describe("auto-close", () => {
  async function resolvedTicket(title: string) {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title, categoryId: await w.categoryId() },
    });
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "resolved" } });
    return { requester, agent, ticket };
  }
  const statusOf = async (id: string) =>
    (await w.db.select().from(tickets).where(eq(tickets.id, id)))[0].status;

  it("closes a resolved ticket after auto_close_hours, as the system, and tells the requester", async () => {
    const { requester, ticket } = await resolvedTicket("Printer fixed");
    const scheduler = schedulerWith(jobHandlers);
    later(71 * HOUR);
    await scheduler.runDue();
    expect(await statusOf(ticket.id)).toBe("resolved");
    later(HOUR);
    await scheduler.runDue();
    expect(await statusOf(ticket.id)).toBe("closed");
    const events = await w.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.at(-1)).toMatchObject({
      kind: "status",
      fromValue: "resolved",
      toValue: "closed",
      actorId: null,
    });
    const told = await w.db.select().from(notifications).where(eq(notifications.recipientId, requester.id));
    expect(told.some((n) => n.type === "closed")).toBe(true);
  });

  it("is called off when the requester answers before the time, and not re-armed by the reply", async () => {
    const { requester, ticket } = await resolvedTicket("Still broken");
    later(10 * HOUR);
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ticket.id, body: "It broke again" } });
    expect(await statusOf(ticket.id)).not.toBe("resolved");
    expect((await jobOf(`auto_close:${ticket.id}`)).state).toBe("cancelled");
    later(100 * HOUR);
    await schedulerWith(jobHandlers).runDue();
    expect(await statusOf(ticket.id)).not.toBe("closed");
  });

  it("gives tickets resolved before auto-close existed their close at start, and moves every close with the setting", async () => {
    const { ticket } = await resolvedTicket("Resolved long ago");
    // As before this version: no job for it.
    await w.db.delete(scheduledJobs).where(eq(scheduledJobs.key, `auto_close:${ticket.id}`));
    await syncAutoCloseJobs(w.db);
    const [resolved] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    const due = (await jobOf(`auto_close:${ticket.id}`)).runAt.getTime();
    expect(due - (resolved.resolvedAt as Date).getTime()).toBe(72 * HOUR);
    const admin = await w.user("admin");
    await updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: 24 } });
    try {
      expect(
        (await jobOf(`auto_close:${ticket.id}`)).runAt.getTime() - (resolved.resolvedAt as Date).getTime(),
      ).toBe(24 * HOUR);
      await updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: 0 } });
      expect((await jobOf(`auto_close:${ticket.id}`)).state).toBe("cancelled");
    } finally {
      await updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: 72 } });
    }
  });

  it("never runs with auto_close_hours 0", async () => {
    const admin = await w.user("admin");
    await updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: 0 } });
    try {
      const { ticket } = await resolvedTicket("Keep it open");
      later(1000 * HOUR);
      await schedulerWith(jobHandlers).runDue();
      expect(await statusOf(ticket.id)).toBe("resolved");
    } finally {
      await updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: 72 } });
    }
  });
});
