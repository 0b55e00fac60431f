import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  labels,
  slaPolicies,
  ticketEvents,
  ticketLabels,
  ticketRatings,
  tickets,
} from "../../drizzle/schema/index.js";
import type { User } from "../../server/domain/index.js";
import {
  getBreakdownReport,
  getCsatReport,
  getSlaReport,
  getTimingsReport,
  getVolumeReport,
  rebuildReportRollups,
} from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The reports read the rollups (report_rollup, report_ticket_facts) when they can and
 * the raw rows otherwise (docs/REPORTS.md "Rollups"). On random histories — tickets in
 * two branches and none, two categories, all priorities, with and without an SLA
 * policy; finishes, closes, reopenings, SLA alerts, ratings, SLA clocks; then some
 * tickets moved to another branch, category or priority and a rating taken back — the
 * rollups kept by the triggers, the raw rows and a full rebuild must give the same
 * answers, to the second, for an admin and for a branch auditor who filed tickets in
 * another branch, with and without filters, and with a label filter (read from the
 * label-keyed copies, report_label_rollup and report_label_facts; labels put on when
 * the ticket is opened and changed at the end).
 */
const world = setupTestWorld();
let w: World;
let admin: User;
let auditor: User;
let requester: User;
let branches: string[];
let categories: string[];
let policyId: string;
let labelIds: string[];
const DAY0 = Date.parse("2026-03-01T20:30:00Z"); // 1 March 00:00 Tehran
const PRIORITIES = ["low", "normal", "high", "critical"] as const;
const TARGETS = ["first_response", "next_response", "resolution"] as const;

beforeAll(async () => {
  w = world();
  branches = [(await w.branch()).id, (await w.branch()).id];
  categories = [await w.categoryId("network"), await w.categoryId("software")];
  admin = await w.user("admin");
  auditor = await w.user("auditor", { branchId: branches[0] });
  requester = await w.user("requester");
  // A policy tracking first response and resolution only: the next-response runs must not count.
  const [policy] = await w.db
    .insert(slaPolicies)
    .values({
      name: "p",
      priority: "low",
      branchId: branches[1],
      firstResponseMinutes: 30,
      resolutionMinutes: 600,
    })
    .returning();
  policyId = policy.id;
  labelIds = (
    await w.db
      .insert(labels)
      .values([{ name: "exam" }, { name: "billing" }])
      .returning()
  ).map((l) => l.id);
  w.clock.set(new Date(DAY0 + 20 * 86_400_000));
});

/** A step of a ticket's history, minutes after the step before. */
const step = fc.record({
  after: fc.integer({ min: 1, max: 3000 }),
  what: fc.constantFrom("resolve", "close", "reopen", "warn", "breach", "rate"),
  target: fc.constantFrom(...TARGETS),
  score: fc.integer({ min: 1, max: 5 }),
});
const ticket = fc.record({
  startMinute: fc.integer({ min: 0, max: 9 * 1440 }),
  branch: fc.integer({ min: 0, max: 2 }),
  category: fc.integer({ min: 0, max: 1 }),
  priority: fc.constantFrom(...PRIORITIES),
  mine: fc.boolean(),
  slaState: fc.constantFrom("none", "on_track", "at_risk", "breached", "met"),
  policy: fc.boolean(),
  firstResponse: fc.option(fc.integer({ min: 1, max: 2000 })),
  clock: fc.array(
    fc.tuple(fc.constantFrom(...TARGETS), fc.constantFrom("met", "met_late", "breached"), fc.nat(4000)),
    {
      maxLength: 3,
    },
  ),
  steps: fc.array(step, { maxLength: 6 }),
  move: fc.option(
    fc.record({ branch: fc.integer({ min: 0, max: 2 }), category: fc.integer({ min: 0, max: 1 }) }),
  ),
  labels: fc.subarray([0, 1]),
  /** At the end: the ticket's labels then. */
  labelsAfter: fc.option(fc.subarray([0, 1])),
});

let seq = 0;
type TicketSpec = typeof ticket extends fc.Arbitrary<infer T> ? T : never;

async function writeHistory(history: TicketSpec[]) {
  await w.db.delete(tickets);
  for (const t of history) {
    const at = (minute: number) => new Date(DAY0 + minute * 60_000);
    const targets = Object.fromEntries(
      t.clock.map(([target, state, m]) => [
        target,
        { startedAt: at(t.startMinute), endedAt: at(t.startMinute + m), state },
      ]),
    );
    const [row] = await w.db
      .insert(tickets)
      .values({
        number: `R-${++seq}`,
        title: "t",
        categoryId: categories[t.category],
        branchId: branches[t.branch] ?? null,
        priority: t.priority,
        requesterId: t.mine ? auditor.id : requester.id,
        slaPolicyId: t.policy ? policyId : null,
        createdAt: at(t.startMinute),
        firstResponseAt: t.firstResponse ? at(t.startMinute + t.firstResponse) : null,
        slaClock: t.clock.length ? ({ pauses: [], targets } as never) : null,
      })
      .returning();
    const label = (ids: number[]) =>
      ids.length
        ? w.db.insert(ticketLabels).values(ids.map((i) => ({ ticketId: row.id, labelId: labelIds[i] })))
        : undefined;
    await label(t.labels);
    let minute = t.startMinute;
    let status = "open";
    let finishes = 0;
    const rated = new Set<number>();
    for (const s of t.steps) {
      minute += s.after;
      const event = (kind: string, from: string | null, to: string | null) =>
        w.db.insert(ticketEvents).values({
          ticketId: row.id,
          kind: kind as never,
          fromValue: from,
          toValue: to,
          createdAt: at(minute),
        });
      if (s.what === "resolve" || s.what === "close") {
        const to = s.what === "resolve" ? "resolved" : "closed";
        if (status === to) continue;
        if (status !== "resolved" && status !== "closed") finishes++;
        await event("status", status, to);
        status = to;
      } else if (s.what === "reopen") {
        if (status !== "resolved" && status !== "closed") continue;
        await event("reopen", status, "in_progress");
        await event("status", status, "in_progress");
        status = "in_progress";
      } else if (s.what === "warn" || s.what === "breach") {
        await event(s.what === "warn" ? "sla_warning" : "sla_breach", null, s.target);
      } else if (finishes > 0 && !rated.has(finishes)) {
        rated.add(finishes);
        await w.db
          .insert(ticketRatings)
          .values({ ticketId: row.id, resolution: finishes, score: s.score, createdAt: at(minute) });
      }
    }
    await w.db
      .update(tickets)
      .set({ status: status as never, slaState: t.slaState })
      .where(sql`${tickets.id} = ${row.id}`);
    if (t.move)
      await w.db
        .update(tickets)
        .set({
          branchId: branches[t.move.branch] ?? null,
          categoryId: categories[t.move.category],
          priority: "high",
        })
        .where(sql`${tickets.id} = ${row.id}`);
    if (t.labelsAfter) {
      await w.db.delete(ticketLabels).where(sql`${ticketLabels.ticketId} = ${row.id}`);
      await label(t.labelsAfter);
    }
  }
  // A rating taken back: its resolution is no longer rated.
  await w.db.execute(sql`delete from ticket_ratings where ctid in (select ctid from ticket_ratings limit 1)`);
}

/** Every report the rollups answer, for the actors and filters compared. */
async function allReports() {
  const out: unknown[] = [];
  const inputs = [
    { from: "2026-03-02", to: "2026-03-10", interval: "week" as const, by: "branch" as const },
    { from: "2026-03-01", to: "2026-03-12", branchId: branches[1], by: "category" as const },
    { from: "2026-03-02", to: "2026-03-06", priority: "high" as const, by: "priority" as const },
    { from: "2026-03-01", to: "2026-03-12", labelId: labelIds[0], by: "label" as const },
    {
      from: "2026-03-02",
      to: "2026-03-10",
      interval: "week" as const,
      labelId: labelIds[1],
      by: "branch" as const,
    },
    {
      from: "2026-03-01",
      to: "2026-03-12",
      labelId: labelIds[0],
      categoryId: categories[1],
      by: "channel" as const,
    },
  ];
  for (const who of [admin, auditor]) {
    const ctx = w.ctx(who);
    for (const { by, ...input } of inputs) {
      out.push(await getVolumeReport({ ctx, input }));
      out.push(await getCsatReport({ ctx, input }));
      out.push(await getSlaReport({ ctx, input }));
      const { firstResponse, resolution } = await getTimingsReport({ ctx, input });
      out.push({ firstResponse, resolution });
      out.push(await getBreakdownReport({ ctx, input: { ...input, by } }));
    }
  }
  return out;
}

describe("report rollups", () => {
  it("give exactly what the raw rows give, kept by the triggers and rebuilt", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ticket, { minLength: 1, maxLength: 8 }), async (history) => {
        await writeHistory(history);
        const rolledUp = await allReports();
        await w.db.execute(sql`update report_rollup_state set time_zone = 'raw rows only'`);
        const raw = await allReports();
        await rebuildReportRollups(w.db, "Asia/Tehran");
        const rebuilt = await allReports();
        expect(rolledUp).toEqual(raw);
        expect(rebuilt).toEqual(raw);
      }),
      { numRuns: 5, seed: 16 },
    );
  }, 180_000);

  it("are read: a figure written into the rollup alone shows in the report", async () => {
    await writeHistory([]);
    const ctx = w.ctx(admin);
    const input = { from: "2026-03-01", to: "2026-03-02" };
    expect((await getVolumeReport({ ctx, input })).totals.created).toBe(0);
    await w.db.execute(sql`
      insert into report_rollup (metric, day, branch_id, category_id, priority, sla_policy_id, n)
      values ('created', '2026-03-02', '00000000-0000-0000-0000-000000000000', ${categories[0]}, 'low',
              '00000000-0000-0000-0000-000000000000', 7)`);
    expect((await getVolumeReport({ ctx, input })).totals.created).toBe(7);
    await rebuildReportRollups(w.db, "Asia/Tehran");
    expect((await getVolumeReport({ ctx, input })).totals.created).toBe(0);
  });

  it("are read with a label filter: a figure written into the label rollup alone shows in the report", async () => {
    await writeHistory([]);
    const ctx = w.ctx(admin);
    const input = { from: "2026-03-01", to: "2026-03-02", labelId: labelIds[1] };
    expect((await getVolumeReport({ ctx, input })).totals.created).toBe(0);
    await w.db.execute(sql`
      insert into report_label_rollup (label_id, metric, day, branch_id, category_id, priority, sla_policy_id, n)
      values (${labelIds[1]}, 'created', '2026-03-02', '00000000-0000-0000-0000-000000000000', ${categories[0]},
              'low', '00000000-0000-0000-0000-000000000000', 7)`);
    expect((await getVolumeReport({ ctx, input })).totals.created).toBe(7);
    expect((await getVolumeReport({ ctx, input: { ...input, labelId: labelIds[0] } })).totals.created).toBe(
      0,
    );
    await rebuildReportRollups(w.db, "Asia/Tehran");
    expect((await getVolumeReport({ ctx, input })).totals.created).toBe(0);
  });
});
