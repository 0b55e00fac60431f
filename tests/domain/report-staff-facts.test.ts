import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  labels,
  messages,
  ticketEvents,
  ticketLabels,
  ticketRatings,
  tickets,
} from "../../drizzle/schema/index.js";
import type { User } from "../../server/domain/index.js";
import { getAgentsReport, getTimingsReport, rebuildReportRollups } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The timings' next response and the agents report read the staff facts
 * (report_responses, report_agent_facts) kept by triggers on messages, tickets,
 * history and ratings (docs/REPORTS.md "Staff facts"). On random threads — the
 * requester, two agents, notes and system messages in any order; finishes by either
 * agent, ratings, a first response; then some tickets moved to another branch, given
 * to another assignee, a message taken back — the facts kept by the triggers, the raw
 * rows and a full rebuild must give the same answers, for an admin and for a branch
 * auditor who filed tickets elsewhere, with and without filters, and with a label
 * filter (read from report_label_responses and report_label_agent_facts; labels put on
 * when the ticket is opened and changed at the end).
 */
const world = setupTestWorld();
let w: World;
let admin: User;
let auditor: User;
let requester: User;
let agents: User[];
let branches: string[];
let categories: string[];
let labelIds: string[];
const DAY0 = Date.parse("2026-03-01T20:30:00Z"); // 1 March 00:00 Tehran

beforeAll(async () => {
  w = world();
  branches = [(await w.branch()).id, (await w.branch()).id];
  categories = [await w.categoryId("network"), await w.categoryId("software")];
  admin = await w.user("admin");
  auditor = await w.user("auditor", { branchId: branches[0] });
  requester = await w.user("requester");
  agents = [await w.user("agent", { branchId: branches[0] }), await w.user("moderator")];
  labelIds = (
    await w.db
      .insert(labels)
      .values([{ name: "exam" }, { name: "billing" }])
      .returning()
  ).map((l) => l.id);
  w.clock.set(new Date(DAY0 + 20 * 86_400_000));
});

/** One message of a thread, minutes after the one before. */
const post = fc.record({
  after: fc.integer({ min: 1, max: 900 }),
  who: fc.constantFrom("requester", "agent0", "agent1"),
  kind: fc.constantFrom("public", "public", "public", "note", "system"),
});
const ticket = fc.record({
  startMinute: fc.integer({ min: 0, max: 9 * 1440 }),
  branch: fc.integer({ min: 0, max: 2 }),
  category: fc.integer({ min: 0, max: 1 }),
  mine: fc.boolean(),
  assignee: fc.option(fc.integer({ min: 0, max: 1 })),
  thread: fc.array(post, { maxLength: 8 }),
  finishes: fc.array(
    fc.record({ after: fc.integer({ min: 1, max: 3000 }), by: fc.integer({ min: 0, max: 1 }) }),
    {
      maxLength: 2,
    },
  ),
  score: fc.option(fc.integer({ min: 1, max: 5 })),
  moveTo: fc.option(fc.integer({ min: 0, max: 2 })),
  reassign: fc.boolean(),
  dropMessage: fc.boolean(),
  labels: fc.subarray([0, 1]),
  /** At the end: the ticket's labels then. */
  labelsAfter: fc.option(fc.subarray([0, 1])),
});
type TicketSpec = typeof ticket extends fc.Arbitrary<infer T> ? T : never;
let seq = 0;

async function writeHistory(history: TicketSpec[]) {
  await w.db.delete(tickets);
  for (const t of history) {
    const at = (minute: number) => new Date(DAY0 + minute * 60_000);
    const opener = t.mine ? auditor : requester;
    const author = (who: string) => (who === "requester" ? opener : agents[who === "agent0" ? 0 : 1]);
    let minute = t.startMinute;
    const firstStaff = t.thread.find((p) => p.who !== "requester" && p.kind === "public");
    const firstAt = firstStaff
      ? t.startMinute + t.thread.slice(0, t.thread.indexOf(firstStaff) + 1).reduce((s, p) => s + p.after, 0)
      : null;
    const [row] = await w.db
      .insert(tickets)
      .values({
        number: `S-${++seq}`,
        title: "t",
        categoryId: categories[t.category],
        branchId: branches[t.branch] ?? null,
        requesterId: opener.id,
        assigneeId: t.assignee === null ? null : agents[t.assignee].id,
        createdAt: at(t.startMinute),
        firstResponseAt: firstAt === null ? null : at(firstAt),
      })
      .returning();
    const label = (ids: number[]) =>
      ids.length
        ? w.db.insert(ticketLabels).values(ids.map((i) => ({ ticketId: row.id, labelId: labelIds[i] })))
        : undefined;
    await label(t.labels);
    for (const p of t.thread) {
      minute += p.after;
      await w.db.insert(messages).values({
        ticketId: row.id,
        authorId: author(p.who).id,
        body: "m",
        isInternal: p.kind === "note",
        source: p.kind === "system" ? "system" : "bot",
        createdAt: at(minute),
      });
    }
    let finished = 0;
    let status = "open";
    for (const f of t.finishes) {
      minute += f.after;
      await w.db.insert(ticketEvents).values({
        ticketId: row.id,
        actorId: agents[f.by].id,
        kind: "status",
        fromValue: status,
        toValue: status === "open" ? "resolved" : "open",
        createdAt: at(minute),
      });
      if (status === "open") finished++;
      status = status === "open" ? "resolved" : "open";
    }
    if (finished > 0 && t.score !== null)
      await w.db
        .insert(ticketRatings)
        .values({ ticketId: row.id, resolution: 1, score: t.score, createdAt: at(minute + 5) });
    if (t.moveTo !== null)
      await w.db
        .update(tickets)
        .set({ branchId: branches[t.moveTo] ?? null, priority: "high" })
        .where(sql`${tickets.id} = ${row.id}`);
    if (t.reassign)
      await w.db.update(tickets).set({ assigneeId: agents[1].id }).where(sql`${tickets.id} = ${row.id}`);
    if (t.dropMessage)
      await w.db.execute(
        sql`delete from messages where id = (select id from messages where ticket_id = ${row.id} order by seq limit 1)`,
      );
    if (t.labelsAfter) {
      await w.db.delete(ticketLabels).where(sql`${ticketLabels.ticketId} = ${row.id}`);
      await label(t.labelsAfter);
    }
  }
}

async function allReports() {
  const out: unknown[] = [];
  const inputs = [
    { from: "2026-03-02", to: "2026-03-10" },
    { from: "2026-03-01", to: "2026-03-12", branchId: branches[1] },
    { from: "2026-03-02", to: "2026-03-06", priority: "high" as const, categoryId: categories[0] },
    { from: "2026-03-01", to: "2026-03-12", labelId: labelIds[0] },
    { from: "2026-03-02", to: "2026-03-10", labelId: labelIds[1], branchId: branches[0] },
  ];
  for (const who of [admin, auditor]) {
    const ctx = w.ctx(who);
    for (const input of inputs) {
      out.push(await getAgentsReport({ ctx, input }));
      const { firstResponse, nextResponse, resolution } = await getTimingsReport({ ctx, input });
      out.push({ firstResponse, nextResponse, resolution });
    }
  }
  return out;
}

describe("staff facts of the reports", () => {
  it("give exactly what the raw messages give, kept by the triggers and rebuilt", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ticket, { minLength: 1, maxLength: 8 }), async (history) => {
        await writeHistory(history);
        const kept = await allReports();
        await w.db.execute(sql`update report_rollup_state set time_zone = 'raw rows only'`);
        const raw = await allReports();
        await rebuildReportRollups(w.db, "Asia/Tehran");
        const rebuilt = await allReports();
        expect(kept).toEqual(raw);
        expect(rebuilt).toEqual(raw);
      }),
      { numRuns: 6, seed: 18 },
    );
  }, 240_000);

  it("have something to compare: the histories give next responses and agents", async () => {
    const msg = (who: "requester" | "agent0" | "agent1", after: number) => ({
      after,
      who,
      kind: "public" as const,
    });
    await writeHistory([
      {
        startMinute: 1440,
        branch: 0,
        category: 0,
        mine: false,
        assignee: 0,
        thread: [msg("requester", 1), msg("agent0", 10), msg("requester", 60), msg("agent1", 30)],
        finishes: [{ after: 5, by: 0 }],
        score: 5,
        moveTo: null,
        reassign: false,
        dropMessage: false,
        labels: [],
        labelsAfter: null,
      },
    ]);
    const ctx = w.ctx(admin);
    const input = { from: "2026-03-02", to: "2026-03-03" };
    expect((await getTimingsReport({ ctx, input })).nextResponse).toEqual({
      count: 1,
      median: 1800,
      p90: 1800,
      average: 1800,
    });
    const { agents: rows } = await getAgentsReport({ ctx, input });
    expect(
      rows.map((a) => [a.userId, a.handled, a.replies, a.resolved, a.firstResponses, a.ratings]),
    ).toEqual([
      [agents[0].id, 1, 1, 1, 1, 1],
      [agents[1].id, 1, 1, 0, 0, 0],
    ]);
  });

  it("are read: figures written into the facts alone show in the reports", async () => {
    await writeHistory([]);
    const ctx = w.ctx(admin);
    const input = { from: "2026-03-01", to: "2026-03-02" };
    expect((await getTimingsReport({ ctx, input })).nextResponse.count).toBe(0);
    expect((await getAgentsReport({ ctx, input })).agents).toEqual([]);
    const nil = "00000000-0000-0000-0000-000000000000";
    const ticketId = "11111111-1111-4111-8111-111111111111";
    await w.db.execute(sql`
      insert into report_responses (ticket_id, responder_id, started, answered, day, secs, branch_id, category_id, priority)
      values (${ticketId}, ${agents[0].id}, '2026-03-02T08:00:00Z', '2026-03-02T08:07:00Z', '2026-03-02', 420,
              ${nil}, ${categories[0]}, 'low')`);
    await w.db.execute(sql`
      insert into report_agent_facts (ticket_id, user_id, day, replies, finishes, ratings, score_sum, branch_id,
                                      category_id, priority)
      values (${ticketId}, ${agents[0].id}, '2026-03-02', 9, 0, 0, 0, ${nil}, ${categories[0]}, 'low')`);
    expect((await getTimingsReport({ ctx, input })).nextResponse).toEqual({
      count: 1,
      median: 420,
      p90: 420,
      average: 420,
    });
    const [row] = (await getAgentsReport({ ctx, input })).agents;
    expect([row.userId, row.handled, row.replies]).toEqual([agents[0].id, 1, 9]);
    await rebuildReportRollups(w.db, "Asia/Tehran");
    expect((await getTimingsReport({ ctx, input })).nextResponse.count).toBe(0);
    expect((await getAgentsReport({ ctx, input })).agents).toEqual([]);
  });

  it("are read with a label filter: figures written into the label copies alone show in the reports", async () => {
    await writeHistory([]);
    const ctx = w.ctx(admin);
    const input = { from: "2026-03-01", to: "2026-03-02", labelId: labelIds[0] };
    const nil = "00000000-0000-0000-0000-000000000000";
    const ticketId = "22222222-2222-4222-8222-222222222222";
    await w.db.execute(sql`
      insert into report_label_responses (label_id, ticket_id, responder_id, started, answered, day, secs, branch_id,
                                          category_id, priority)
      values (${labelIds[0]}, ${ticketId}, ${agents[1].id}, '2026-03-02T08:00:00Z', '2026-03-02T08:05:00Z',
              '2026-03-02', 300, ${nil}, ${categories[0]}, 'low')`);
    await w.db.execute(sql`
      insert into report_label_agent_facts (label_id, ticket_id, user_id, day, replies, finishes, ratings, score_sum,
                                            branch_id, category_id, priority)
      values (${labelIds[0]}, ${ticketId}, ${agents[1].id}, '2026-03-02', 4, 0, 0, 0, ${nil}, ${categories[0]}, 'low')`);
    expect((await getTimingsReport({ ctx, input })).nextResponse).toEqual({
      count: 1,
      median: 300,
      p90: 300,
      average: 300,
    });
    const [row] = (await getAgentsReport({ ctx, input })).agents;
    expect([row.userId, row.handled, row.replies]).toEqual([agents[1].id, 1, 4]);
    const other = { ...input, labelId: labelIds[1] };
    expect((await getTimingsReport({ ctx, input: other })).nextResponse.count).toBe(0);
    expect((await getAgentsReport({ ctx, input: other })).agents).toEqual([]);
    await rebuildReportRollups(w.db, "Asia/Tehran");
    expect((await getTimingsReport({ ctx, input })).nextResponse.count).toBe(0);
    expect((await getAgentsReport({ ctx, input })).agents).toEqual([]);
  });
});
