import { inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tickets } from "../../drizzle/schema/index.js";
import type { User } from "../../server/domain/index.js";
import {
  assignTicket,
  changeTicketStatus,
  createTicket,
  getQueueSummary,
  listTickets,
} from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The dashboard's today figures and "needs attention" on a hand-built queue: exact
 * numbers, a branch auditor seeing their branch only, and each figure equal to what
 * the queue lists with the filter the dashboard opens.
 */
const world = setupTestWorld();
let w: World;
let admin: User;
let auditor: User;
const ids: Record<string, string> = {};
const UNFINISHED = ["open", "in_progress", "waiting_customer"] as const;

beforeAll(async () => {
  w = world();
  const home = await w.branch();
  const other = await w.branch();
  admin = await w.user("admin");
  auditor = await w.user("auditor", { branchId: home.id });
  const agent = await w.user("agent", { branchId: home.id });
  const requester = await w.user("requester", { branchId: home.id });
  const outsider = await w.user("requester", { branchId: other.id });
  const categoryId = await w.categoryId();
  const open = async (key: string, iso: string, who: User) => {
    w.clock.set(new Date(iso));
    ids[key] = (await createTicket({ ctx: w.ctx(who), input: { title: `Ticket ${key}`, categoryId } })).id;
  };
  // Tehran is +03:30: "today" is 10 March from 2026-03-09T20:30Z on.
  await open("yesterday", "2026-03-09T08:00:00Z", requester); // unassigned, waiting longest
  await open("resolved", "2026-03-10T05:00:00Z", requester); // finished today
  await open("atRisk", "2026-03-10T05:10:00Z", requester); // assigned, SLA at risk
  await open("breached", "2026-03-10T05:20:00Z", requester); // unassigned, SLA breached
  await open("elsewhere", "2026-03-10T05:30:00Z", outsider); // another branch: unassigned, breached
  w.clock.set(new Date("2026-03-10T06:00:00Z"));
  const asAgent = w.ctx(agent);
  for (const key of ["resolved", "atRisk"])
    await assignTicket({ ctx: asAgent, input: { ticketId: ids[key], assigneeId: agent.id } });
  await changeTicketStatus({ ctx: asAgent, input: { ticketId: ids.resolved, status: "resolved" } });
  // SLA states as the scheduler's job leaves them; no due instants, so nothing else is overdue.
  const noDue = { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
  await w.db
    .update(tickets)
    .set({ ...noDue, slaState: "on_track" })
    .where(inArray(tickets.id, Object.values(ids)));
  await w.db
    .update(tickets)
    .set({ slaState: "at_risk" })
    .where(inArray(tickets.id, [ids.atRisk]));
  await w.db
    .update(tickets)
    .set({ slaState: "breached" })
    .where(inArray(tickets.id, [ids.breached, ids.elsewhere]));
  w.clock.set(new Date("2026-03-10T08:00:00Z"));
});

describe("the dashboard's needs attention", () => {
  it("counts today's figures and what needs attention in the branch auditor's branch only", async () => {
    const s = await getQueueSummary({ ctx: w.ctx(auditor) });
    expect(s.createdToday).toBe(3);
    expect(s.resolvedToday).toBe(1);
    expect({ ...s.attention, oldestWaiting: s.attention.oldestWaiting?.id }).toEqual({
      unassigned: 2,
      atRisk: 1,
      breached: 1,
      oldestWaiting: ids.yesterday,
    });
  });

  it("counts every branch for an admin", async () => {
    const s = await getQueueSummary({ ctx: w.ctx(admin) });
    expect(s.createdToday).toBe(4);
    expect(s.resolvedToday).toBe(1);
    expect([s.attention.unassigned, s.attention.atRisk, s.attention.breached]).toEqual([3, 1, 2]);
  });

  it("gives each figure as many tickets as the queue lists with the filter the dashboard opens", async () => {
    for (const who of [auditor, admin]) {
      const ctx = w.ctx(who);
      const { attention } = await getQueueSummary({ ctx });
      const listed = async (input: Record<string, unknown>) =>
        (await listTickets({ ctx, input: { ...input, status: [...UNFINISHED], limit: 100 } })).items.map(
          (t) => t.id,
        );
      expect((await listed({ assigneeId: "none" })).length).toBe(attention.unassigned);
      expect((await listed({ sla: "at_risk" })).length).toBe(attention.atRisk);
      expect((await listed({ sla: "breached" })).length).toBe(attention.breached);
      const oldestFirst = await listTickets({
        ctx,
        input: { status: ["open", "in_progress"], sort: "created_asc", limit: 1 },
      });
      expect(oldestFirst.items[0]?.id).toBe(attention.oldestWaiting?.id);
    }
  });

  it("refuses a requester", async () => {
    const requester = await w.user("requester");
    await expect(getQueueSummary({ ctx: w.ctx(requester) })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
