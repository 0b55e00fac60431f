import { sql } from "drizzle-orm";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { tickets } from "../../drizzle/schema/index.js";
import { rowsOf } from "../../server/domain/delivery/budget.js";
import {
  createBusinessCalendar,
  deleteBusinessCalendar,
  updateBusinessCalendar,
} from "../../server/domain/index.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The calendar verbs queue the `report_business_hours` job, which the scheduler runs:
 * the stored business seconds follow the calendar as it is after each change, `ready`
 * is cleared by the change and set by the job, and the job leaves its renewal queued
 * before the working intervals run out (docs/REPORTS.md "Business hours").
 */
const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const scheduler = () =>
  createScheduler({
    db: w.db,
    clock: w.clock,
    system: () => w.system(),
    handlers: jobHandlers,
    logger: pino({ level: "silent" }),
  });
const state = async () =>
  rowsOf<{ ready: boolean }>(
    await w.db.execute(sql`select ready from report_business_state where id = 1`),
  )[0];
const stored = async () =>
  rowsOf<{ business: number | null }>(
    await w.db.execute(sql`select business from report_ticket_facts where metric = 'dur:first_response'`),
  ).map((r) => (r.business === null ? null : Number(r.business)));

describe("the report_business_hours job", () => {
  it("follows every calendar change through the scheduler", async () => {
    const admin = w.ctx(await w.user("admin"));
    const requester = await w.user("requester");
    // Monday 2 March 2026, 09:00 to 12:00 in Tehran (05:30 to 08:30 UTC).
    await w.db.insert(tickets).values({
      number: "J-1",
      title: "t",
      categoryId: await w.categoryId("network"),
      requesterId: requester.id,
      createdAt: new Date("2026-03-02T05:30:00Z"),
      firstResponseAt: new Date("2026-03-02T08:30:00Z"),
    });
    w.clock.set(new Date("2026-03-10T08:00:00Z"));
    const week = (from: string, to: string) =>
      Object.fromEntries(["1", "2"].map((d) => [d, [[from, to]] as [string, string][]]));
    const cal = await createBusinessCalendar({
      ctx: admin,
      input: { name: "office", timeZone: "Asia/Tehran", week: week("08:00", "17:00") },
    });
    expect((await state()).ready).toBe(false);
    while ((await scheduler().runDue()) > 0);
    expect((await state()).ready).toBe(true);
    expect(await stored()).toEqual([3 * 3600]);
    const [job] = rowsOf<{ state: string; run_at: string }>(
      await w.db.execute(sql`select state, run_at from scheduled_jobs where key = 'report_business_hours'`),
    );
    expect(job.state).toBe("pending");
    expect(new Date(job.run_at).getTime()).toBeGreaterThan(w.clock.now().getTime() + 300 * 86_400_000);

    await updateBusinessCalendar({ ctx: admin, input: { id: cal.id, week: week("08:00", "10:00") } });
    expect((await state()).ready).toBe(false);
    while ((await scheduler().runDue()) > 0);
    expect((await state()).ready).toBe(true);
    expect(await stored()).toEqual([3600]);

    await deleteBusinessCalendar({ ctx: admin, input: { id: cal.id } });
    while ((await scheduler().runDue()) > 0);
    // No calendar: no business figures are shown and none are built.
    expect((await state()).ready).toBe(false);
  });
});
