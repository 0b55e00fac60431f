import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  businessCalendars,
  labels,
  messages,
  ticketEvents,
  ticketLabels,
  tickets,
} from "../../drizzle/schema/index.js";
import type { User } from "../../server/domain/index.js";
import { getTimingsReport, rebuildBusinessHours } from "../../server/domain/index.js";
import { storedBusinessStats } from "../../server/domain/reports/business-stored.js";
import { reportRange } from "../../server/domain/reports/scope.js";
import { calendarArbitrary } from "../helpers/calendar-arbitrary.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The business seconds stored in the duration facts (docs/REPORTS.md "Business hours"):
 * computed in SQL from the calendars' working intervals when a fact is written, and
 * again by the rebuild job after a calendar changes. On random calendars (zones with and
 * without daylight saving, one or two stretches a day, holidays; a branch's own and the
 * default one) and random tickets written after them (first responses, next responses,
 * finishes; some with a label, read with a label filter too), the stored figures must equal the server's count from the raw rows —
 * which `report-business-hours.test.ts` holds equal to `countedBetween` row by row —
 * after the tickets are written, while a calendar edit waits for its rebuild (the
 * report counts in the server then), after the rebuild, after a ticket moves branch
 * and after a calendar is deleted.
 */
const world = setupTestWorld();
let w: World;
let admin: User;
let auditor: User;
let agent: User;
let requester: User;
let branches: string[];
let categoryId: string;
let labelId: string;
const DAY0 = Date.parse("2026-03-01T20:30:00Z");
const inputs = () => [
  { from: "2026-03-02", to: "2026-03-20" },
  { from: "2026-03-05", to: "2026-03-12" },
  { from: "2026-03-02", to: "2026-03-20", labelId },
];

beforeAll(async () => {
  w = world();
  branches = [(await w.branch()).id, (await w.branch()).id];
  categoryId = await w.categoryId("network");
  [{ id: labelId }] = await w.db.insert(labels).values({ name: "exam" }).returning();
  admin = await w.user("admin");
  auditor = await w.user("auditor", { branchId: branches[0] });
  agent = await w.user("agent");
  requester = await w.user("requester");
  w.clock.set(new Date(DAY0 + 25 * 86_400_000));
});

const calendar = calendarArbitrary(25, 3);
type CalendarSpec = typeof calendar extends fc.Arbitrary<infer T> ? T : never;
const asRow = (c: CalendarSpec, branchId: string | null) => ({
  name: "c",
  timeZone: c.timeZone,
  week: Object.fromEntries(c.week.map((h, d) => [String(d), h])),
  holidays: c.holidays.map((d) => new Date(DAY0 + d * 86_400_000).toISOString().slice(0, 10)),
  branchId,
});
const ticket = fc.record({
  startSecond: fc.integer({ min: 0, max: 18 * 86_400 }),
  branch: fc.integer({ min: 0, max: 2 }),
  /** Seconds between the thread's messages: requester and agent in turn, the agent first. */
  thread: fc.array(fc.integer({ min: 1, max: 3 * 86_400 }), { maxLength: 5 }),
  finishAfter: fc.option(fc.integer({ min: 1, max: 4 * 86_400 })),
  moveTo: fc.integer({ min: 0, max: 2 }),
  labelled: fc.boolean(),
});
type TicketSpec = typeof ticket extends fc.Arbitrary<infer T> ? T : never;
let seq = 0;

async function writeTickets(list: TicketSpec[]) {
  for (const t of list) {
    let at = DAY0 + t.startSecond * 1000;
    const first = t.thread.length ? new Date(at + t.thread[0] * 1000) : null;
    const [row] = await w.db
      .insert(tickets)
      .values({
        number: `B-${++seq}`,
        title: "t",
        categoryId,
        branchId: branches[t.branch] ?? null,
        requesterId: (t.branch === 0 && seq % 2 ? auditor : requester).id,
        createdAt: new Date(at),
        firstResponseAt: first,
      })
      .returning();
    if (t.labelled) await w.db.insert(ticketLabels).values({ ticketId: row.id, labelId });
    for (const [i, gap] of t.thread.entries()) {
      at += gap * 1000;
      const authorId = i % 2 === 0 ? agent.id : row.requesterId;
      await w.db
        .insert(messages)
        .values({ ticketId: row.id, authorId, body: "m", source: "bot", createdAt: new Date(at) });
    }
    if (t.finishAfter !== null)
      await w.db.insert(ticketEvents).values({
        ticketId: row.id,
        actorId: agent.id,
        kind: "status",
        fromValue: "open",
        toValue: "resolved",
        createdAt: new Date(at + t.finishAfter * 1000),
      });
  }
}

/** The business figures for an admin and a branch auditor over two ranges, and whether the stored seconds answered. */
async function figures() {
  const out: unknown[] = [];
  let stored = 0;
  for (const who of [admin, auditor])
    for (const input of inputs()) {
      const ctx = w.ctx(who);
      out.push((await getTimingsReport({ ctx, input })).businessHours);
      const r = reportRange(ctx, input, "reports.timings");
      const got = await storedBusinessStats(ctx, r);
      stored += got ? Object.keys(got).length : 0;
    }
  return { out, stored };
}

/** The same figures from the raw rows, counted in the server. */
async function rawFigures() {
  await w.db.execute(sql`update report_rollup_state set time_zone = 'raw rows only'`);
  try {
    return (await figures()).out;
  } finally {
    await w.db.execute(sql`update report_rollup_state set time_zone = 'Asia/Tehran'`);
  }
}

describe("business seconds stored in the facts", () => {
  it("equal the server's count, written after the calendars, after an edit and its rebuild, a move and a deletion", async () => {
    await fc.assert(
      fc.asyncProperty(
        calendar,
        fc.option(calendar),
        calendar,
        fc.array(ticket, { minLength: 1, maxLength: 10 }),
        async (fallback, own, edited, list) => {
          await w.db.delete(tickets);
          await w.db.delete(businessCalendars);
          const [def] = await w.db.insert(businessCalendars).values(asRow(fallback, null)).returning();
          if (own) await w.db.insert(businessCalendars).values(asRow(own, branches[0]));
          await rebuildBusinessHours(w.db, w.clock.now());
          // Rows written after the calendars exist: their seconds come from the facts' triggers.
          await writeTickets(list);
          const written = await figures();
          expect(written.out).toEqual(await rawFigures());
          expect(written.stored).toBe(18);

          await w.db.update(businessCalendars).set(asRow(edited, null)).where(sql`id = ${def.id}`);
          const waiting = await figures();
          expect(waiting.stored).toBe(0);
          expect(waiting.out).toEqual(await rawFigures());
          await rebuildBusinessHours(w.db, w.clock.now());
          const rebuilt = await figures();
          expect(rebuilt.stored).toBe(18);
          expect(rebuilt.out).toEqual(await rawFigures());

          for (const [i, t] of list.entries())
            if (t.moveTo !== t.branch)
              await w.db.execute(
                sql`update tickets set branch_id = ${branches[t.moveTo] ?? null}::uuid where number = ${`B-${seq - list.length + i + 1}`}`,
              );
          expect((await figures()).out).toEqual(await rawFigures());

          await w.db.delete(businessCalendars).where(sql`branch_id is not null`);
          await rebuildBusinessHours(w.db, w.clock.now());
          expect((await figures()).out).toEqual(await rawFigures());
        },
      ),
      { numRuns: 8, seed: 32 },
    );
  }, 240_000);
});
