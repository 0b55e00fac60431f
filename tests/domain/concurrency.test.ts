import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, ticketEvents, tickets, users } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
  setUserRole,
} from "../../server/domain/index.js";
import { applyStatus } from "../../server/domain/tickets/change-status.js";
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

  it("stores every one of many messages written at once while an agent takes the ticket, each with its history and outbox rows", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Busy thread", categoryId: await w.categoryId() },
    });
    const writes = Array.from({ length: 30 }, (_, i) =>
      addTicketMessage({
        ctx: w.ctx(requester),
        input: {
          ticketId: ticket.id,
          body: `Message ${i}`,
          origin: { chatId: requester.telegramId, messageId: 900 + i },
        },
      }),
    );
    const [taken, ...stored] = await Promise.all([
      assignTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, assigneeId: agent.id } }),
      ...writes,
    ]);
    expect(taken).toMatchObject({ assigneeId: agent.id });
    expect(new Set(stored.map((r) => r.message.id)).size).toBe(30);
    const events = await w.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.filter((e) => e.kind === "message")).toHaveLength(30);
    const rows = await w.db.select().from(notifications).where(eq(notifications.ticketId, ticket.id));
    const toChat = rows.filter((r) => r.type === "new_message" && r.recipientId === null);
    expect(toChat).toHaveLength(30);
    // Messages stored after the assignment (history order is lock order) also ping the new assignee;
    // none stored before it does: no message decided from a read the assignment made stale.
    const toAgent = rows.filter((r) => r.type === "new_message" && r.recipientId === agent.id);
    const assignedAt = events.find((e) => e.kind === "assign")!.seq;
    const after = events.filter((e) => e.kind === "message" && e.seq > assignedAt).length;
    expect(toAgent).toHaveLength(after);
  });

  it("refuses a status change based on a stale read as CONFLICT, not a silent overwrite", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Stale", categoryId: await w.categoryId() },
    });
    // The agent's write lands between the requester's read (ticket, still open) and write.
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "resolved" } });
    await expect(applyStatus(w.db, w.ctx(requester), ticket, "closed")).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const [now] = await w.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(now.status).toBe("resolved");
    const moves = await w.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(moves.filter((e) => e.kind === "status").map((e) => e.toValue)).toEqual(["resolved"]);
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
