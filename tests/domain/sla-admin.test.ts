import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, businessCalendars, scheduledJobs } from "../../drizzle/schema/index.js";
import {
  createBusinessCalendar,
  createSlaPolicy,
  DomainError,
  deleteBusinessCalendar,
  deleteSlaPolicy,
  listBusinessCalendars,
  listSlaPolicies,
  updateBusinessCalendar,
  updateSlaPolicy,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld({ timeZone: "Europe/Moscow" });
let w: World;
beforeAll(() => {
  w = world();
});
// Each test sees whether its own write queued the recalculation.
beforeEach(async () => {
  await w.db.delete(scheduledJobs);
});

/** The field issues a refused call carried, as "path:code". */
async function issues(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.issues.map((i) => `${i.path}:${i.code}`);
    throw e;
  }
  return [];
}

const recalcJobs = () => w.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, "sla_recalc"));
const auditOf = (id: string) => w.db.select().from(auditLog).where(eq(auditLog.entityId, id));

describe("SLA policies", () => {
  it("are read by any staff member, written by admins and owners only", async () => {
    const seeded = await listSlaPolicies({ ctx: w.ctx(await w.user("auditor")) });
    expect(seeded.map((p) => p.priority)).toEqual(["critical", "high", "normal", "low"]);
    expect(await outcome(listSlaPolicies({ ctx: w.ctx(await w.user("requester")) }))).toBe("FORBIDDEN");
    const categoryId = await w.categoryId("network");
    for (const role of ["requester", "agent", "moderator", "auditor"] as const) {
      const ctx = w.ctx(await w.user(role));
      const input = { name: "x", priority: "high", categoryId, firstResponseMinutes: 60 };
      expect(await outcome(createSlaPolicy({ ctx, input }))).toBe("FORBIDDEN");
      expect(await outcome(updateSlaPolicy({ ctx, input: { id: seeded[0].id, warnPercent: 10 } }))).toBe(
        "FORBIDDEN",
      );
      expect(await outcome(deleteSlaPolicy({ ctx, input: { id: seeded[0].id } }))).toBe("FORBIDDEN");
    }
    expect(await recalcJobs()).toEqual([]);
  });

  it("creates, updates and deletes with audit rows and a queued recalculation", async () => {
    const owner = w.ctx(await w.user("owner"));
    const branch = await w.branch();
    const policy = await createSlaPolicy({
      ctx: owner,
      input: {
        name: "Network, branch",
        priority: "high",
        categoryId: await w.categoryId("network"),
        branchId: branch.id,
        firstResponseMinutes: 90,
        resolutionMinutes: 8 * 60,
        businessHours: true,
        escalation: { raisePriority: true, notifyChatId: -100123 },
      },
    });
    expect(policy).toMatchObject({
      warnPercent: 20,
      warnMinutes: null,
      nextResponseMinutes: null,
      active: true,
    });
    const [job] = await recalcJobs();
    expect(job).toMatchObject({ kind: "sla_recalc", state: "pending" });

    const updated = await updateSlaPolicy({
      ctx: owner,
      input: { id: policy.id, warnMinutes: 15, active: false },
    });
    expect([updated.warnMinutes, updated.active, updated.firstResponseMinutes]).toEqual([15, false, 90]);
    await deleteSlaPolicy({ ctx: owner, input: { id: policy.id } });
    expect(await outcome(deleteSlaPolicy({ ctx: owner, input: { id: policy.id } }))).toBe("NOT_FOUND");

    const audit = await auditOf(policy.id);
    expect(audit.map((a) => a.action)).toEqual([
      "sla_policy.create",
      "sla_policy.update",
      "sla_policy.delete",
    ]);
    expect(audit[1]).toMatchObject({ before: { warnMinutes: null }, after: { warnMinutes: 15 } });
    expect(await recalcJobs()).toHaveLength(1);
  });

  it("refuses a second policy for the same scope as CONFLICT, and unknown references", async () => {
    const admin = w.ctx(await w.user("admin"));
    const input = { name: "again", priority: "normal", firstResponseMinutes: 10 };
    await expect(createSlaPolicy({ ctx: admin, input })).rejects.toMatchObject({
      code: "CONFLICT",
      details: { reason: "sla_policy_exists" },
    });
    const stranger = "00000000-0000-4000-8000-000000000000";
    expect(await issues(createSlaPolicy({ ctx: admin, input: { ...input, categoryId: stranger } }))).toEqual([
      "categoryId:unknown_category",
    ]);
  });

  it("validates targets and the warning", async () => {
    const admin = w.ctx(await w.user("admin"));
    const base = { name: "p", priority: "low", categoryId: await w.categoryId("software") };
    expect(await issues(createSlaPolicy({ ctx: admin, input: base }))).toEqual([
      "firstResponseMinutes:no_sla_target",
    ]);
    expect(
      await issues(
        createSlaPolicy({ ctx: admin, input: { ...base, resolutionMinutes: 525_601, warnPercent: 95 } }),
      ),
    ).toEqual(["resolutionMinutes:too_big", "warnPercent:too_big"]);
    expect(
      await issues(
        createSlaPolicy({
          ctx: admin,
          input: { ...base, firstResponseMinutes: 30, resolutionMinutes: 600, warnMinutes: 30 },
        }),
      ),
    ).toEqual(["warnMinutes:warn_not_below_target"]);
    // On update the rules see the policy as it would be: clearing its only target is refused.
    const p = await createSlaPolicy({ ctx: admin, input: { ...base, firstResponseMinutes: 30 } });
    expect(
      await issues(updateSlaPolicy({ ctx: admin, input: { id: p.id, firstResponseMinutes: null } })),
    ).toEqual(["firstResponseMinutes:no_sla_target"]);
  });
});

describe("business calendars", () => {
  it("fills the Iran week from the preset and stores Jalali holidays as Gregorian, once, in order", async () => {
    const admin = w.ctx(await w.user("admin"));
    const cal = await createBusinessCalendar({
      ctx: admin,
      input: {
        name: "Tehran office",
        preset: "iran",
        holidays: ["1405/01/02", { jalali: "1405-01-01" }, "2026-03-21", "۱۴۰۵/۰۱/۱۳"],
      },
    });
    expect(cal.timeZone).toBe("Asia/Tehran");
    expect(cal.week["5"]).toBeUndefined(); // Friday off
    expect(cal.week["4"]).toEqual([["08:00", "12:00"]]); // Thursday morning
    expect(cal.week["6"]).toEqual([["08:00", "16:00"]]);
    expect(cal.holidays).toEqual(["2026-03-21", "2026-03-22", "2026-04-02"]);
    expect(cal.branchId).toBeNull();
    expect((await auditOf(cal.id)).map((a) => a.action)).toEqual(["business_calendar.create"]);
    expect(await recalcJobs()).toHaveLength(1);

    // Only one default calendar.
    await expect(
      createBusinessCalendar({ ctx: admin, input: { name: "another", preset: "mon_fri" } }),
    ).rejects.toMatchObject({ code: "CONFLICT", details: { reason: "calendar_exists" } });
    await deleteBusinessCalendar({ ctx: admin, input: { id: cal.id } });
    expect((await auditOf(cal.id)).map((a) => a.action)).toContain("business_calendar.delete");
  });

  it("gives a branch its own Mon–Fri calendar in the deployment's zone, and edits it", async () => {
    const admin = w.ctx(await w.user("owner"));
    const branch = await w.branch();
    const cal = await createBusinessCalendar({
      ctx: admin,
      input: { name: "Moscow", preset: "mon_fri", branchId: branch.id },
    });
    expect(cal.timeZone).toBe("Europe/Moscow");
    expect(Object.keys(cal.week).sort()).toEqual(["1", "2", "3", "4", "5"]);
    const edited = await updateBusinessCalendar({
      ctx: admin,
      input: {
        id: cal.id,
        week: {
          "1": [
            ["09:00", "13:00"],
            ["14:00", "24:00"],
          ],
        },
        holidays: ["2026-05-09"],
      },
    });
    expect(edited.week).toEqual({
      "1": [
        ["09:00", "13:00"],
        ["14:00", "24:00"],
      ],
    });
    expect(edited.holidays).toEqual(["2026-05-09"]);
    const audit = await auditOf(cal.id);
    expect(audit.at(-1)).toMatchObject({ action: "business_calendar.update", before: { holidays: [] } });
    const listed = await listBusinessCalendars({ ctx: w.ctx(await w.user("agent")) });
    expect(listed.some((c) => c.id === cal.id)).toBe(true);
  });

  it("refuses bad zones, intervals, dates and weeks without working time, field by field", async () => {
    const admin = w.ctx(await w.user("admin"));
    const branch = await w.branch();
    const create = (input: Record<string, unknown>) =>
      issues(createBusinessCalendar({ ctx: admin, input: { name: "c", branchId: branch.id, ...input } }));
    expect(await create({ timeZone: "Mars/Olympus", week: { "1": [["09:00", "17:00"]] } })).toEqual([
      "timeZone:bad_time_zone",
    ]);
    expect(
      await create({
        preset: "iran",
        week: {
          "1": [
            ["09:00", "12:00"],
            ["11:00", "13:00"],
          ],
          "2": [["17:00", "09:00"]],
          "3": [["9:00", "10:00"]],
        },
      }),
    ).toEqual(["week.1.1:intervals_overlap", "week.2.0:interval_order", "week.3.0.0:bad_time"]);
    expect(await create({ preset: "iran", week: { "1": [] } })).toEqual(["week:no_working_hours"]);
    expect(await create({ preset: "iran", holidays: ["1404/12/30", "2026-02-30", { jalali: "x" }] })).toEqual(
      ["holidays.0:bad_date", "holidays.1:bad_date", "holidays.2:bad_date"],
    );
    expect(await create({})).toEqual(["timeZone:required", "week:required"]);
    expect(
      await outcome(
        createBusinessCalendar({
          ctx: w.ctx(await w.user("moderator")),
          input: { name: "m", preset: "iran" },
        }),
      ),
    ).toBe("FORBIDDEN");
    expect(
      await w.db.select().from(businessCalendars).where(eq(businessCalendars.branchId, branch.id)),
    ).toEqual([]);
  });
});
