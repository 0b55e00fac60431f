import { beforeAll, describe, expect, it } from "vitest";
import type { User } from "../../server/domain/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
  getAgentsReport,
  getBreakdownReport,
  getCsatReport,
  getSlaReport,
  getVolumeReport,
  rateTicket,
} from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * An admin without filters reads history rows without joining them to tickets (the
 * foreign key already proves each ticket exists; sql-parts.ts scopedEvents). With every
 * ticket in one branch, that path must give exactly what the joined, branch-filtered
 * path gives, and the numbers must be the hand-counted ones.
 */
const world = setupTestWorld();
let w: World;
let admin: User;
let branchId: string;
const range = { from: "2026-03-02", to: "2026-03-04" };

beforeAll(async () => {
  w = world();
  const b = await w.branch();
  branchId = b.id;
  admin = await w.user("admin");
  const agent = await w.user("agent", { branchId });
  const requester = await w.user("requester", { branchId });
  const categoryId = await w.categoryId();
  const at = (iso: string) => w.clock.set(new Date(iso));
  const asAgent = w.ctx(agent);
  const asRequester = w.ctx(requester);
  at("2026-03-02T06:30:00Z");
  const t1 = await createTicket({ ctx: asRequester, input: { title: "One", categoryId } });
  await assignTicket({ ctx: asAgent, input: { ticketId: t1.id, assigneeId: agent.id } });
  at("2026-03-02T07:30:00Z");
  await addTicketMessage({ ctx: asAgent, input: { ticketId: t1.id, body: "On it" } });
  at("2026-03-02T10:30:00Z");
  await changeTicketStatus({ ctx: asAgent, input: { ticketId: t1.id, status: "resolved" } });
  await rateTicket({ ctx: asRequester, input: { ticketId: t1.id, rating: 4 } });
  at("2026-03-03T07:00:00Z");
  const t2 = await createTicket({ ctx: asRequester, input: { title: "Two", categoryId } });
  await assignTicket({ ctx: asAgent, input: { ticketId: t2.id, assigneeId: agent.id } });
  at("2026-03-03T09:00:00Z");
  await changeTicketStatus({ ctx: asAgent, input: { ticketId: t2.id, status: "closed" } });
  at("2026-03-03T12:00:00Z");
  await addTicketMessage({ ctx: asRequester, input: { ticketId: t2.id, body: "Broken again" } });
  at("2026-03-04T07:00:00Z");
  await changeTicketStatus({ ctx: asAgent, input: { ticketId: t2.id, status: "resolved" } });
  at("2026-03-05T08:00:00Z");
});

describe("reports read by an admin without filters", () => {
  it("count exactly what the branch-filtered (joined) path counts", async () => {
    const ctx = w.ctx(admin);
    const all = { ...range };
    const branch = { ...range, branchId };
    const strip = <T extends { range: unknown }>({ range: _r, ...rest }: T) => rest;
    const volume = await getVolumeReport({ ctx, input: all });
    expect(volume.totals).toEqual({ created: 2, resolved: 2, closed: 1, reopened: 1 });
    // Two reopened by the requester on 3 March (15:30 Tehran) is open at that day's end.
    expect(volume.backlog.map((d) => d.open)).toEqual([0, 1, 0]);
    expect(strip(volume)).toEqual(strip(await getVolumeReport({ ctx, input: branch })));
    const csat = await getCsatReport({ ctx, input: all });
    expect([csat.csat.resolutions, csat.csat.rated, csat.csat.average]).toEqual([3, 1, 4]);
    expect(strip(csat)).toEqual(strip(await getCsatReport({ ctx, input: branch })));
    const agents = await getAgentsReport({ ctx, input: all });
    expect(agents.agents.map((a) => [a.handled, a.replies, a.resolved])).toEqual([[2, 1, 3]]);
    expect(strip(agents)).toEqual(strip(await getAgentsReport({ ctx, input: branch })));
    for (const by of ["category", "priority", "channel"] as const) {
      const rows = await getBreakdownReport({ ctx, input: { ...all, by } });
      expect(rows.totals).toEqual({ created: 2, resolved: 3, open: 0 });
      expect(rows.rows).toEqual((await getBreakdownReport({ ctx, input: { ...branch, by } })).rows);
    }
    expect(strip(await getSlaReport({ ctx, input: all }))).toEqual(
      strip(await getSlaReport({ ctx, input: branch })),
    );
  });
});
