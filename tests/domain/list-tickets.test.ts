import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../drizzle/client.js";
import type { Ticket, User } from "../../drizzle/schema/index.js";
import {
  assignTicket,
  createLabel,
  createTicket,
  listTickets,
  updateTicket,
} from "../../server/domain/index.js";
import { createTestDb } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";

let handle: DbHandle;
let w: World;
let home: string;
let away: string;
let alice: User;
let bob: User;
let agent: User;
let made: Ticket[] = [];

beforeAll(async () => {
  handle = await createTestDb();
  w = createWorld(handle.db);
  home = (await w.branch("list_home")).id;
  away = (await w.branch("list_away")).id;
  alice = await w.user("requester", { branchId: home });
  bob = await w.user("requester", { branchId: away });
  agent = await w.user("agent", { branchId: home });
  const net = await w.categoryId("network");
  const sw = await w.categoryId("software");
  const specs = [
    { who: alice, title: "Printer on floor 2 jams", categoryId: net, priority: "low" },
    { who: alice, title: "Email 50% quota warning", categoryId: sw, priority: "critical" },
    { who: bob, title: "Projector broken", categoryId: net, priority: "high" },
    { who: alice, title: "VPN drops every hour", categoryId: net, priority: "high" },
    { who: bob, title: "Need Office licence", categoryId: sw, priority: "normal" },
  ] as const;
  made = [];
  for (const s of specs) {
    made.push(
      await createTicket({
        ctx: w.ctx(s.who),
        input: { title: s.title, categoryId: s.categoryId, priority: s.priority },
      }),
    );
  }
});
afterAll(() => handle.close());

const titles = (page: { items: Ticket[] }) => page.items.map((t) => t.title);

describe("the queue", () => {
  it("limits every list to the actor's scope", async () => {
    expect(titles(await listTickets({ ctx: w.ctx(alice), input: {} }))).toHaveLength(3);
    expect(
      (await listTickets({ ctx: w.ctx(bob), input: {} })).items.every((t) => t.requesterId === bob.id),
    ).toBe(true);
    const seenByAgent = await listTickets({ ctx: w.ctx(agent), input: { limit: 100 } });
    expect(seenByAgent.items.every((t) => t.branchId === home)).toBe(true);
    const admin = await w.user("admin");
    expect((await listTickets({ ctx: w.ctx(admin), input: { limit: 100 } })).items).toHaveLength(5);
    // A filter cannot widen the scope.
    expect((await listTickets({ ctx: w.ctx(agent), input: { branchId: away } })).items).toHaveLength(0);
  });

  it("filters by status, priority, category, assignee and label, and searches text literally", async () => {
    const admin = await w.user("admin");
    const ctx = w.ctx(admin);
    expect(
      titles(await listTickets({ ctx, input: { priority: "high,critical", sort: "priority_desc" } })),
    ).toEqual(["Email 50% quota warning", "VPN drops every hour", "Projector broken"]);
    expect(titles(await listTickets({ ctx, input: { q: "50%" } }))).toEqual(["Email 50% quota warning"]);
    expect(titles(await listTickets({ ctx, input: { q: "%" } }))).toEqual(["Email 50% quota warning"]);
    expect(titles(await listTickets({ ctx, input: { q: made[2].number } }))).toEqual(["Projector broken"]);
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: made[3].id, assigneeId: agent.id } });
    expect(titles(await listTickets({ ctx, input: { assigneeId: agent.id } }))).toEqual([
      "VPN drops every hour",
    ]);
    expect(titles(await listTickets({ ctx, input: { status: ["in_progress"] } }))).toEqual([
      "VPN drops every hour",
    ]);
    expect((await listTickets({ ctx, input: { assigneeId: "none" } })).items).toHaveLength(4);
    const label = await createLabel({ ctx, input: { name: "hardware" } });
    await updateTicket({ ctx, input: { ticketId: made[2].id, labelIds: [label.id] } });
    expect(titles(await listTickets({ ctx, input: { labelId: label.id } }))).toEqual(["Projector broken"]);
    expect(
      titles(
        await listTickets({
          ctx,
          input: { categoryId: await w.categoryId("software"), sort: "created_asc" },
        }),
      ),
    ).toEqual(["Email 50% quota warning", "Need Office licence"]);
  });

  it("pages with cursors through every ticket exactly once, in every sort", async () => {
    const admin = await w.user("admin");
    for (const sort of [
      "updated_desc",
      "updated_asc",
      "created_desc",
      "created_asc",
      "priority_desc",
    ] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listTickets({ ctx: w.ctx(admin), input: { sort, limit: 2, cursor } });
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(5);
      expect(seen).toHaveLength(5);
    }
  });

  it("gives someone's own tickets newest first, the first page prepared, the next ones by its cursor", async () => {
    const own = (input: object) =>
      listTickets({ ctx: w.ctx(alice), input: { requesterId: alice.id, ...input } });
    const first = await own({ sort: "created_desc", limit: 2 });
    const rest = await own({ sort: "created_desc", limit: 2, cursor: first.nextCursor });
    // A status filter takes the general query: the same tickets, in the same order.
    const general = await own({ sort: "created_desc", limit: 10, status: ["open", "in_progress"] });
    expect([...titles(first), ...titles(rest)]).toEqual(titles(general));
    expect(titles(general)).toEqual([
      "VPN drops every hour",
      "Email 50% quota warning",
      "Printer on floor 2 jams",
    ]);
    expect(rest.nextCursor).toBeNull();
    // Someone else's tickets by id: only what the actor's scope holds (none for a requester).
    const others = await listTickets({
      ctx: w.ctx(alice),
      input: { requesterId: bob.id, sort: "created_desc" },
    });
    expect(others.items).toHaveLength(0);
  });

  it("answers a forged cursor or bad filter with VALIDATION", async () => {
    const admin = await w.user("admin");
    const bad = Buffer.from(JSON.stringify(["not-a-date", "x"])).toString("base64url");
    await expect(listTickets({ ctx: w.ctx(admin), input: { cursor: bad } })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(listTickets({ ctx: w.ctx(admin), input: { status: "nope" } })).rejects.toMatchObject({
      code: "VALIDATION",
    });
  });
});

describe("the dashboard summary", () => {
  it("counts tickets by status and today's new ones in the actor's scope only", async () => {
    const { getQueueSummary } = await import("../../server/domain/index.js");
    const admin = await w.user("admin");
    const all = await getQueueSummary({ ctx: w.ctx(admin) });
    const total = Object.values(all.byStatus).reduce((a, b) => a + b, 0);
    expect(total).toBe(5);
    expect(all.createdToday).toBe(5);
    const mine = await getQueueSummary({ ctx: w.ctx(agent) });
    expect(Object.values(mine.byStatus).reduce((a, b) => a + b, 0)).toBe(3);
    await expect(getQueueSummary({ ctx: w.ctx(alice) })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
