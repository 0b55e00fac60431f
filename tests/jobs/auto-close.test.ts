import { eq } from "drizzle-orm";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { businessCalendars, scheduledJobs, tickets } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  changeTicketStatus,
  createTicket,
  updateSettings,
} from "../../server/domain/index.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

/** Auto-close in business hours, and how long a requester may reopen a closed ticket. */
const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const jobOf = async (ticketId: string) =>
  (
    await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `auto_close:${ticketId}`))
  )[0];
const at = (iso: string) => w.clock.set(new Date(iso));

async function resolvedTicket() {
  const requester = await w.user("requester");
  const agent = await w.user("agent");
  const t = await createTicket({
    ctx: w.ctx(requester),
    input: { title: "Lamp", categoryId: await w.categoryId() },
  });
  await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "resolved" } });
  return { t, requester, agent };
}

describe("auto-close and reopening", () => {
  // (Times to the minute: the test clock ticks a millisecond per reading.)
  it("counts auto_close_hours in the default calendar's working hours when asked to, and re-times waiting closes", async () => {
    const admin = await w.user("admin");
    await w.db.insert(businessCalendars).values({
      name: "Default",
      timeZone: "Asia/Tehran",
      // Saturday–Wednesday 08:00–16:00 (8 h a day), Thursday and Friday off.
      week: Object.fromEntries(["6", "0", "1", "2", "3"].map((d) => [d, [["08:00", "16:00"]]])),
      holidays: [],
    });
    await updateSettings({ ctx: w.ctx(admin), input: { auto_close_hours: 12 } });
    at("2027-01-06T10:30:00Z"); // Wednesday 14:00 Tehran: 2 h today, then Saturday
    const { t } = await resolvedTicket();
    expect((await jobOf(t.id)).runAt.toISOString().slice(0, 16)).toBe("2027-01-06T22:30"); // wall time first
    await updateSettings({ ctx: w.ctx(admin), input: { auto_close_business_hours: true } });
    // 2 h on Wednesday, 8 on Saturday, 2 on Sunday: Sunday 10:00 Tehran.
    expect((await jobOf(t.id)).runAt.toISOString().slice(0, 16)).toBe("2027-01-10T06:30");
    const { t: later } = await resolvedTicket();
    expect((await jobOf(later.id)).runAt.toISOString().slice(0, 16)).toBe("2027-01-10T06:30");

    at("2027-01-10T06:31:00Z");
    const scheduler = createScheduler({
      db: w.db,
      clock: w.clock,
      system: () => w.system(),
      handlers: jobHandlers,
      logger: pino({ level: "silent" }),
    });
    while ((await scheduler.runDue()) > 0) {}
    const [closed] = await w.db.select().from(tickets).where(eq(tickets.id, t.id));
    expect(closed.status).toBe("closed");
    await updateSettings({
      ctx: w.ctx(admin),
      input: { auto_close_business_hours: false, auto_close_hours: 72 },
    });
  });

  it("lets the requester reopen a closed ticket within reopen_days, and refuses later (staff still may)", async () => {
    const admin = await w.user("admin");
    await updateSettings({ ctx: w.ctx(admin), input: { reopen_days: 7 } });
    at("2027-02-01T08:00:00Z");
    const { t, requester, agent } = await resolvedTicket();
    await changeTicketStatus({ ctx: w.ctx(requester), input: { ticketId: t.id, status: "closed" } });
    at("2027-02-05T08:00:00Z");
    const { ticket: reopened } = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: t.id, body: "It broke again" },
    });
    expect(reopened.status).toBe("open");
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "closed" } });

    at("2027-02-13T08:00:00Z");
    expect(
      await outcome(addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: t.id, body: "Again?" } })),
    ).toBe("INVALID_TRANSITION");
    expect(
      await outcome(changeTicketStatus({ ctx: w.ctx(requester), input: { ticketId: t.id, status: "open" } })),
    ).toBe("INVALID_TRANSITION");
    expect(
      await outcome(changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "open" } })),
    ).toBe("ok");
  });
});
