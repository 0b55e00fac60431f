import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { BusinessCalendar } from "../../drizzle/schema/index.js";
import type { User } from "../../server/domain/index.js";
import { businessDurationStats, rowByRowBusinessStats } from "../../server/domain/reports/business-hours.js";
import { calendarArbitrary } from "../helpers/calendar-arbitrary.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The timings' business hours are counted from each calendar's working intervals and
 * the working time before each, by binary search (docs/REPORTS.md "Business hours"). On random
 * calendars — zones with and without daylight saving, one or two stretches a day,
 * days off, holidays, a branch's own calendar and the default one, or none — and
 * random durations (across DST changes, over holidays, some of up to 200 days), the figures must equal those of `countedBetween` row by row.
 */
const world = setupTestWorld();
let w: World;
let admin: User;
let branches: string[];
const T0 = Date.parse("2026-02-20T00:00:00Z");

beforeAll(async () => {
  w = world();
  admin = await w.user("admin");
  branches = [(await w.branch()).id, (await w.branch()).id];
});

const calendar = calendarArbitrary(60, 4);
const row = fc.record({
  branch: fc.integer({ min: 0, max: 2 }),
  start: fc.integer({ min: 0, max: 50 * 86_400 }),
  /** Up to 12 days, or (rarely) from long before. */
  length: fc.oneof(fc.integer({ min: 0, max: 12 * 86_400 }), fc.integer({ min: 0, max: 200 * 86_400 })),
  earlier: fc.integer({ min: 0, max: 9 }),
});

type CalendarSpec = typeof calendar extends fc.Arbitrary<infer T> ? T : never;
const asCalendar = (c: CalendarSpec, branchId: string | null): BusinessCalendar => ({
  id: "00000000-0000-4000-8000-000000000000",
  name: "c",
  timeZone: c.timeZone,
  week: Object.fromEntries(c.week.map((h, d) => [String(d), h])),
  holidays: c.holidays.map((d) => new Date(T0 + d * 86_400_000).toISOString().slice(0, 10)),
  branchId,
  createdAt: new Date(),
  updatedAt: new Date(),
});

describe("business hours in the timings", () => {
  it("are counted exactly as countedBetween counts each row", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(calendar),
        fc.option(calendar),
        fc.array(row, { minLength: 0, maxLength: 40 }),
        async (own, fallback, rows) => {
          const calendars = [
            ...(own ? [asCalendar(own, branches[0])] : []),
            ...(fallback ? [asCalendar(fallback, null)] : []),
          ];
          const values = rows.length
            ? sql.join(
                rows.map((r) => {
                  // One row in ten started long before the others.
                  const started = T0 + r.start * 1000 - (r.earlier === 0 ? r.length * 1000 : 0);
                  const ended = started + r.length * 1000;
                  return sql`(${branches[r.branch] ?? null}::uuid, ${new Date(started).toISOString()}::timestamptz,
                              ${new Date(ended).toISOString()}::timestamptz)`;
                }),
                sql`, `,
              )
            : sql`(null::uuid, now(), now())`;
          const source = sql`select * from (values ${values}) v(branch_id, started, ended) where ${rows.length > 0}`;
          const ctx = w.ctx(admin);
          const fast = await businessDurationStats(ctx, source, calendars);
          const slow = await rowByRowBusinessStats(ctx, source, calendars);
          expect(fast).toEqual(slow);
        },
      ),
      { numRuns: 60, seed: 16 },
    );
  }, 240_000);

  it("count a calendar whose hours are out of order row by row, with the same figures", async () => {
    const cal: BusinessCalendar = {
      ...asCalendar({ timeZone: "Asia/Tehran", week: [], holidays: [] }, null),
      week: {
        "1": [
          ["13:00", "17:00"],
          ["08:00", "12:00"],
        ],
      },
    };
    const source = sql`select null::uuid as branch_id, '2026-03-02T04:00:00Z'::timestamptz as started,
                              '2026-03-09T12:00:00Z'::timestamptz as ended`;
    const ctx = w.ctx(admin);
    expect(await businessDurationStats(ctx, source, [cal])).toEqual(
      await rowByRowBusinessStats(ctx, source, [cal]),
    );
  });
});
