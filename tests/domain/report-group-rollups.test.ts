import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { labels, messages, ticketEvents, ticketLabels, tickets } from "../../drizzle/schema/index.js";
import type { User } from "../../server/domain/index.js";
import { getBreakdownReport, rebuildReportRollups } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The breakdowns by label and by channel read `report_group_rollup` and
 * `report_group_facts`, and a ticket's channel is the stored `requester_channel`
 * (docs/REPORTS.md "Label and channel rollups"). On random tickets — labels put on and
 * taken off, public messages and notes from the requester and staff through every
 * door, a message deleted, the requester changed — the stored channel must be where
 * the requester first wrote (counted here from the spec), and the breakdowns from the
 * rollups kept by the triggers, from the raw rows and after a rebuild must agree.
 */
const world = setupTestWorld();
let w: World;
let admin: User;
let auditor: User;
let requester: User;
let other: User;
let branches: string[];
let categories: string[];
let labelIds: string[];
const DAY0 = Date.parse("2026-03-01T20:30:00Z"); // 2 March 00:00 Tehran
const SOURCES = ["bot", "miniapp", "staff_chat"] as const;

beforeAll(async () => {
  w = world();
  branches = [(await w.branch()).id, (await w.branch()).id];
  categories = [await w.categoryId("network"), await w.categoryId("software")];
  admin = await w.user("admin");
  auditor = await w.user("auditor", { branchId: branches[0] });
  requester = await w.user("requester");
  other = await w.user("requester");
  const rows = await w.db
    .insert(labels)
    .values([{ name: "exam" }, { name: "billing" }, { name: "parent" }])
    .returning();
  labelIds = rows.map((l) => l.id);
  w.clock.set(new Date(DAY0 + 20 * 86_400_000));
});

const message = fc.record({
  byRequester: fc.boolean(),
  source: fc.constantFrom(...SOURCES),
  internal: fc.boolean(),
});
const ticket = fc.record({
  startMinute: fc.integer({ min: 0, max: 9 * 1440 }),
  branch: fc.integer({ min: 0, max: 2 }),
  category: fc.integer({ min: 0, max: 1 }),
  mine: fc.boolean(),
  labels: fc.subarray([0, 1, 2]),
  firstResponse: fc.option(fc.integer({ min: 1, max: 2000 })),
  finishAfter: fc.option(fc.integer({ min: 1, max: 5000 })),
  messages: fc.array(message, { maxLength: 4 }),
  /** Afterwards: labels then, the first message deleted, the requester changed. */
  labelsAfter: fc.option(fc.subarray([0, 1, 2])),
  deleteFirst: fc.boolean(),
  otherRequester: fc.boolean(),
});
type TicketSpec = typeof ticket extends fc.Arbitrary<infer T> ? T : never;
type MessageSpec = TicketSpec["messages"][number];

let seq = 0;

/** Where the spec's requester first wrote publicly: the channel the triggers must store. */
function expectedChannel(t: TicketSpec): string {
  const kept = t.deleteFirst ? t.messages.slice(1) : t.messages;
  // Messages were written by the first requester; another requester wrote none.
  if (t.otherRequester) return "none";
  return kept.find((m: MessageSpec) => m.byRequester && !m.internal)?.source ?? "none";
}

async function writeTickets(specs: TicketSpec[]): Promise<Map<string, string>> {
  await w.db.delete(tickets);
  // Built for the deployment's zone whatever a failed run before left.
  await rebuildReportRollups(w.db, "Asia/Tehran");
  const expected = new Map<string, string>();
  for (const t of specs) {
    const at = (minute: number) => new Date(DAY0 + minute * 60_000);
    const owner = t.mine ? auditor : requester;
    const [row] = await w.db
      .insert(tickets)
      .values({
        number: `G-${++seq}`,
        title: "t",
        categoryId: categories[t.category],
        branchId: branches[t.branch] ?? null,
        requesterId: owner.id,
        createdAt: at(t.startMinute),
        firstResponseAt: t.firstResponse ? at(t.startMinute + t.firstResponse) : null,
      })
      .returning();
    if (t.labels.length)
      await w.db
        .insert(ticketLabels)
        .values(t.labels.map((i) => ({ ticketId: row.id, labelId: labelIds[i] })));
    const written: string[] = [];
    for (const [i, m] of t.messages.entries()) {
      const [msg] = await w.db
        .insert(messages)
        .values({
          ticketId: row.id,
          authorId: m.byRequester ? owner.id : admin.id,
          source: m.source,
          isInternal: m.internal,
          createdAt: at(t.startMinute + i + 1),
        })
        .returning();
      written.push(msg.id);
    }
    if (t.finishAfter) {
      await w.db.insert(ticketEvents).values({
        ticketId: row.id,
        kind: "status",
        fromValue: "open",
        toValue: "resolved",
        createdAt: at(t.startMinute + t.finishAfter),
      });
      await w.db.update(tickets).set({ status: "resolved" }).where(sql`${tickets.id} = ${row.id}`);
    }
    if (t.labelsAfter) {
      await w.db.delete(ticketLabels).where(sql`${ticketLabels.ticketId} = ${row.id}`);
      if (t.labelsAfter.length)
        await w.db
          .insert(ticketLabels)
          .values(t.labelsAfter.map((i) => ({ ticketId: row.id, labelId: labelIds[i] })));
    }
    if (t.deleteFirst && written.length)
      await w.db.delete(messages).where(sql`${messages.id} = ${written[0]}`);
    if (t.otherRequester)
      await w.db.update(tickets).set({ requesterId: other.id }).where(sql`${tickets.id} = ${row.id}`);
    expected.set(row.id, expectedChannel(t));
  }
  return expected;
}

async function storedChannels(): Promise<Map<string, string>> {
  const rows = await w.db.select({ id: tickets.id, channel: tickets.requesterChannel }).from(tickets);
  return new Map(rows.map((r) => [r.id, r.channel]));
}

async function breakdowns() {
  const out: unknown[] = [];
  const inputs = [
    { from: "2026-03-02", to: "2026-03-10" },
    { from: "2026-03-03", to: "2026-03-12", branchId: branches[1] },
    { from: "2026-03-02", to: "2026-03-06", categoryId: categories[0] },
    // With a label filter: the label's tickets under each of their labels and channels.
    { from: "2026-03-02", to: "2026-03-10", labelId: labelIds[0] },
    { from: "2026-03-02", to: "2026-03-12", labelId: labelIds[1], branchId: branches[0] },
  ];
  for (const who of [admin, auditor])
    for (const input of inputs)
      for (const by of ["label", "channel"] as const)
        out.push(await getBreakdownReport({ ctx: w.ctx(who), input: { ...input, by } }));
  return out;
}

describe("label and channel rollups", () => {
  it("keep the stored channel and the breakdowns exact through label, message and requester changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ticket, { minLength: 1, maxLength: 7 }), async (specs) => {
        const expected = await writeTickets(specs);
        expect(await storedChannels()).toEqual(expected);
        const rolledUp = await breakdowns();
        await w.db.execute(sql`update report_rollup_state set time_zone = 'raw rows only'`);
        const raw = await breakdowns();
        // A rebuild sets wrong stored channels right (as after a load without triggers).
        await w.db.execute(sql`update report_rollup_state set time_zone = 'Asia/Tehran'`);
        await w.db.execute(sql`update tickets set requester_channel = 'miniapp'`);
        await rebuildReportRollups(w.db, "Asia/Tehran");
        expect(await storedChannels()).toEqual(expected);
        const rebuilt = await breakdowns();
        expect(rolledUp).toEqual(raw);
        expect(rebuilt).toEqual(raw);
      }),
      { numRuns: 5, seed: 16 },
    );
  }, 240_000);

  it("counts a hand-built week exactly", async () => {
    const at = (minute: number) => new Date(DAY0 + minute * 60_000);
    await writeTickets([]);
    const make = async (n: number, labelsOn: number[], firstResponse: number | null) => {
      const [row] = await w.db
        .insert(tickets)
        .values({
          number: `H-${++seq}`,
          title: "t",
          categoryId: categories[0],
          requesterId: requester.id,
          createdAt: at(n * 60),
          firstResponseAt: firstResponse === null ? null : at(n * 60 + firstResponse),
        })
        .returning();
      for (const i of labelsOn)
        await w.db.insert(ticketLabels).values({ ticketId: row.id, labelId: labelIds[i] });
      return row.id;
    };
    const a = await make(1, [0, 1], 10);
    const b = await make(2, [0], 30);
    await make(3, [], null);
    await w.db.insert(messages).values([
      { ticketId: a, authorId: admin.id, source: "staff_chat", createdAt: at(61) },
      { ticketId: a, authorId: requester.id, source: "miniapp", createdAt: at(62) },
      { ticketId: b, authorId: requester.id, source: "bot", isInternal: true, createdAt: at(121) },
      { ticketId: b, authorId: requester.id, source: "staff_chat", createdAt: at(122) },
    ]);
    await w.db.insert(ticketEvents).values({
      ticketId: b,
      kind: "status",
      fromValue: "open",
      toValue: "resolved",
      createdAt: at(300),
    });
    await w.db.update(tickets).set({ status: "resolved" }).where(sql`${tickets.id} = ${b}`);
    // b loses "exam": label 0 is then on a only.
    await w.db.delete(ticketLabels).where(sql`${ticketLabels.ticketId} = ${b}`);
    const ctx = w.ctx(admin);
    const input = { from: "2026-03-02", to: "2026-03-02" };
    const byLabel = await getBreakdownReport({ ctx, input: { ...input, by: "label" } });
    const row = (key: string | null) => byLabel.rows.find((r) => r.key === key);
    expect(row(labelIds[0])).toMatchObject({ created: 1, resolved: 0, open: 1, medianFirstResponse: 600 });
    expect(row(labelIds[1])).toMatchObject({ created: 1, resolved: 0, open: 1, medianFirstResponse: 600 });
    expect(row(null)).toMatchObject({ created: 2, resolved: 1, open: 1, medianFirstResponse: 1800 });
    expect(byLabel.totals).toEqual({ created: 4, resolved: 1, open: 3 });
    const byChannel = await getBreakdownReport({ ctx, input: { ...input, by: "channel" } });
    expect(byChannel.rows.map((r) => [r.key, r.created, r.resolved, r.open, r.medianFirstResponse])).toEqual([
      ["miniapp", 1, 0, 1, 600],
      ["none", 1, 0, 1, null],
      ["staff_chat", 1, 1, 0, 1800],
    ]);
  });

  it("are read: a figure written into the group rollup alone shows in the breakdown", async () => {
    await writeTickets([]);
    const ctx = w.ctx(admin);
    const input = { from: "2026-03-01", to: "2026-03-02" };
    for (const [by, key] of [
      ["label", labelIds[2]],
      ["channel", "miniapp"],
    ] as const) {
      expect((await getBreakdownReport({ ctx, input: { ...input, by } })).rows).toEqual([]);
      await w.db.execute(sql`
        insert into report_group_rollup (dim, metric, day, key, branch_id, category_id, priority, n)
        values (${by}, 'created', '2026-03-02', ${key}, '00000000-0000-0000-0000-000000000000',
                ${categories[0]}, 'low', 7)`);
      const { rows } = await getBreakdownReport({ ctx, input: { ...input, by } });
      expect(rows.map((r) => [r.key, r.created])).toEqual([[key, 7]]);
    }
    await rebuildReportRollups(w.db, "Asia/Tehran");
    expect((await getBreakdownReport({ ctx, input: { ...input, by: "channel" } })).rows).toEqual([]);
  });
});
