import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, ticketEvents } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
  getTicketByNumber,
  getTicketHistory,
  listTicketMessages,
  rateTicket,
} from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

describe("a ticket's life", () => {
  it("goes from creation to rating with history, timestamps and notifications", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const categoryId = await w.categoryId();

    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Wi-Fi is down", description: "Room 4", categoryId, priority: "high" },
    });
    expect(ticket.number).toMatch(/^T-\d{8}-\d{4}$/);
    expect(ticket.status).toBe("open");
    expect(ticket.firstResponseDueAt!.getTime() - ticket.createdAt.getTime()).toBe(120 * 60_000);

    const taken = await assignTicket({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, assigneeId: agent.id },
    });
    expect(taken.assigneeId).toBe(agent.id);
    expect(taken.status).toBe("in_progress");

    const { ticket: answered } = await addTicketMessage({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, body: "Restarting the router" },
    });
    expect(answered.firstResponseAt).not.toBeNull();
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, body: "router is old", internal: true },
    });

    await changeTicketStatus({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, status: "waiting_customer" },
    });
    const { ticket: back } = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, body: "Still down" },
    });
    expect(back.status).toBe("in_progress");

    const resolved = await changeTicketStatus({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, status: "resolved" },
    });
    expect(resolved.resolvedAt).not.toBeNull();
    const closed = await changeTicketStatus({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, status: "closed" },
    });
    expect(closed.closedAt).not.toBeNull();

    const rated = await rateTicket({ ctx: w.ctx(requester), input: { ticketId: ticket.id, rating: 5 } });
    expect(rated.rating).toBe(5);
    // Changeable for 24 hours, a comment too; then it stands.
    const changed = await rateTicket({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, rating: 4, comment: "Fast, thanks" },
    });
    expect([changed.rating, changed.ratingComment]).toEqual([4, "Fast, thanks"]);
    w.clock.set(new Date(w.clock.now().getTime() + 25 * 3_600_000));
    await expect(
      rateTicket({ ctx: w.ctx(requester), input: { ticketId: ticket.id, rating: 1 } }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });

    // A reply after close reopens it (kind reopen) and goes back to the assignee.
    const { ticket: reopened } = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, body: "It broke again" },
    });
    expect(reopened.status).toBe("in_progress");
    expect(reopened.closedAt).toBeNull();

    const history = await getTicketHistory({ ctx: w.ctx(agent), input: { ticketId: ticket.id } });
    expect(history.map((e) => e.kind)).toEqual([
      "created",
      "assign",
      "status",
      "message",
      "note",
      "status",
      "message",
      "status",
      "status",
      "status",
      "rating",
      "rating",
      "message",
      "reopen",
    ]);
    const requesterHistory = await getTicketHistory({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id },
    });
    expect(requesterHistory.some((e) => e.kind === "note")).toBe(false);

    const found = await getTicketByNumber({
      ctx: w.ctx(requester),
      input: { number: ticket.number.toLowerCase() },
    });
    expect(found.id).toBe(ticket.id);
  });

  it("never shows internal notes to the requester, and notifies only staff of them", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Printer jam", categoryId: await w.categoryId("equipment") },
    });
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, assigneeId: agent.id } });
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: ticket.id, body: "public answer" } });
    const { message: note } = await addTicketMessage({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, body: "secret: vendor contract", internal: true },
    });

    const seenByRequester = await listTicketMessages({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id },
    });
    expect(seenByRequester.map((m) => m.body)).toEqual(["public answer"]);
    const seenByAgent = await listTicketMessages({ ctx: w.ctx(agent), input: { ticketId: ticket.id } });
    expect(seenByAgent.map((m) => m.body)).toEqual(["public answer", "secret: vendor contract"]);

    const noteRows = await w.db.select().from(notifications).where(eq(notifications.messageId, note.id));
    expect(noteRows.every((n) => n.recipientId !== requester.id && n.chatId !== requester.telegramId)).toBe(
      true,
    );

    await expect(
      addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ticket.id, body: "x", internal: true } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("does not store a Telegram message twice when the update is redelivered", async () => {
    const requester = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "VPN", categoryId: await w.categoryId() },
    });
    const input = {
      ticketId: ticket.id,
      body: "hello",
      origin: { chatId: requester.telegramId, messageId: 77 },
    };
    const a = await addTicketMessage({ ctx: w.ctx(requester), input });
    const b = await addTicketMessage({ ctx: w.ctx(requester), input });
    expect(b.message.id).toBe(a.message.id);
    const events = await w.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.filter((e) => e.kind === "message")).toHaveLength(1);
  });
});
