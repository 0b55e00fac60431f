import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "../../drizzle/schema/index.js";
import { assignTicket, changeTicketStatus, createTicket, setUserRole } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

describe("races", () => {
  it("gives 200 tickets created at once on one day 200 distinct numbers with no gaps", async () => {
    const requester = await w.user("requester");
    const categoryId = await w.categoryId();
    w.clock.set(new Date("2026-05-01T06:00:00Z"));
    const created = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        createTicket({ ctx: w.ctx(requester), input: { title: `Parallel ${i}`, categoryId } }),
      ),
    );
    const seqs = created.map((t) => Number(t.number.split("-")[2])).sort((a, b) => a - b);
    expect(new Set(created.map((t) => t.number)).size).toBe(200);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(created.every((t) => t.number.startsWith("T-20260501-"))).toBe(true);
  });

  it("lets one of two agents taking the same ticket win; the other gets CONFLICT", async () => {
    const requester = await w.user("requester");
    const [a, b] = [await w.user("agent"), await w.user("agent")];
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Race", categoryId: await w.categoryId() },
    });
    const results = await Promise.allSettled([
      assignTicket({ ctx: w.ctx(a), input: { ticketId: ticket.id, assigneeId: a.id } }),
      assignTicket({ ctx: w.ctx(b), input: { ticketId: ticket.id, assigneeId: b.id } }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason.code).toBe("CONFLICT");
  });

  it("refuses a status change based on a stale read as CONFLICT, not a silent overwrite", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Stale", categoryId: await w.categoryId() },
    });
    const results = await Promise.allSettled([
      changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "resolved" } }),
      changeTicketStatus({ ctx: w.ctx(requester), input: { ticketId: ticket.id, status: "closed" } }),
    ]);
    const codes = results.map((r) => (r.status === "fulfilled" ? "ok" : r.reason.code));
    // Whichever runs second sees the other's status: either CONFLICT (lost race) or a
    // legal follow-up move; never two writers both believing they moved "open".
    expect(codes.filter((c) => c === "ok").length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === "ok" || c === "CONFLICT")).toBe(true);
  });

  it("continues numbering past 9999 with more digits", async () => {
    const { formatTicketNumber } = await import("../../server/domain/index.js");
    expect(formatTicketNumber("20260501", 9999)).toBe("T-20260501-9999");
    expect(formatTicketNumber("20260501", 10000)).toBe("T-20260501-10000");
  });

  it("keeps one active owner when two owners demote each other at the same moment", async () => {
    const [a, b] = [await w.user("owner"), await w.user("owner")];
    const results = await Promise.allSettled([
      setUserRole({ ctx: w.ctx(a), input: { userId: b.id, role: "admin" } }),
      setUserRole({ ctx: w.ctx(b), input: { userId: a.id, role: "admin" } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const owners = await w.db
      .select()
      .from(users)
      .where(and(eq(users.role, "owner"), eq(users.isActive, true)));
    expect(owners.length).toBe(1);
  });
});
