import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { messages, notifications, ticketEvents, tickets } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
} from "../../server/domain/index.js";
import { messageStatements } from "../../server/domain/tickets/message-statements.js";
import { readMessageFacts, writeMessageInOneStatement } from "../../server/domain/tickets/one-statement.js";
import { addMessageSchema } from "../../server/domain/tickets/schemas.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * addTicketMessage's common case decides from a read taken without a lock and
 * writes in one statement only if the ticket still holds what was read; otherwise
 * nothing is written and the general path (a transaction) does the work.
 */
const STAFF_CHAT = -1001000;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
let w: World;
beforeAll(() => {
  w = world();
});

async function openTicket() {
  const requester = await w.user("requester");
  const ticket = await createTicket({
    ctx: w.ctx(requester),
    input: { title: "Printer", categoryId: await w.categoryId() },
  });
  return { requester, ticket };
}

describe("a message written in one statement", () => {
  it("writes nothing when the ticket changed after the read; the general path then writes it once", async () => {
    const { requester, ticket } = await openTicket();
    const agent = await w.user("agent");
    const facts = await readMessageFacts(w.ctx(requester), ticket.id);
    // Meanwhile an agent takes the ticket: it gets an assignee, who must hear of the reply.
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, assigneeId: agent.id } });

    const data = addMessageSchema.parse({ ticketId: ticket.id, body: "Any news?" });
    expect(await writeMessageInOneStatement(w.ctx(requester), data, facts!)).toBeNull();
    expect(await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id))).toHaveLength(0);

    const { message } = await addTicketMessage({ ctx: w.ctx(requester), input: data });
    const rows = await w.db.select().from(notifications).where(eq(notifications.messageId, message.id));
    expect(rows.map((r) => r.chatId).sort()).toEqual([STAFF_CHAT, agent.telegramId].sort());
    const events = await w.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(events.filter((e) => e.kind === "message")).toHaveLength(1);
  });

  it("writes the message, its history row and its outbox row, and touches the ticket", async () => {
    const { requester, ticket } = await openTicket();
    const before = (await w.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0];
    const { message, ticket: after } = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, body: "It jams", origin: { chatId: requester.telegramId, messageId: 5 } },
    });
    expect(message).toMatchObject({
      body: "It jams",
      authorId: requester.id,
      tgMessageId: 5,
      isInternal: false,
    });
    expect(typeof message.seq).toBe("number");
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(after).toMatchObject({ id: ticket.id, status: "open", number: ticket.number });
    const [event] = await w.db.select().from(ticketEvents).where(eq(ticketEvents.toValue, message.id));
    expect(event).toMatchObject({ kind: "message", actorId: requester.id });
    const [row] = await w.db.select().from(notifications).where(eq(notifications.messageId, message.id));
    expect(row).toMatchObject({ chatId: STAFF_CHAT, type: "new_message", state: "pending" });
    expect(row.payload).toMatchObject({ ticketNumber: ticket.number, change: { kind: "message" } });
    expect(row.idempotencyKey).toBe(`${event.id}:chat:${STAFF_CHAT}`);
  });

  it("leaves a reply that moves the status to the general path", async () => {
    const { requester, ticket } = await openTicket();
    const agent = await w.user("agent");
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, assigneeId: agent.id } });
    await changeTicketStatus({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, status: "waiting_customer" },
    });
    const facts = await readMessageFacts(w.ctx(requester), ticket.id);
    const data = addMessageSchema.parse({ ticketId: ticket.id, body: "Here it is" });
    expect(await writeMessageInOneStatement(w.ctx(requester), data, facts!)).toBeNull();
    const { ticket: after } = await addTicketMessage({ ctx: w.ctx(requester), input: data });
    expect(after.status).toBe("in_progress");
  });

  it("writes nothing when a staff answer moved the SLA clock after the read; the general path starts the next response", async () => {
    const { requester, ticket } = await openTicket();
    const agent = await w.user("agent");
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, assigneeId: agent.id } });
    // Read while the first response still runs: the requester's message would not move the clock…
    const facts = await readMessageFacts(w.ctx(requester), ticket.id);
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: ticket.id, body: "Which printer?" } });
    // …but the answer met it meanwhile, so the message now starts the next-response clock.
    const data = addMessageSchema.parse({ ticketId: ticket.id, body: "The one on floor 2" });
    expect(await writeMessageInOneStatement(w.ctx(requester), data, facts!)).toBeNull();
    const { ticket: after } = await addTicketMessage({ ctx: w.ctx(requester), input: data });
    expect(after.slaClock?.targets.next_response?.state).toBe("running");
    // Further messages while it waits change nothing about the clock: the one statement takes them.
    const again = await readMessageFacts(w.ctx(requester), ticket.id);
    const more = addMessageSchema.parse({ ticketId: ticket.id, body: "Room 12" });
    expect(await writeMessageInOneStatement(w.ctx(requester), more, again!)).not.toBeNull();
  });

  it("uses facts read earlier only for their own ticket, and only while the ticket still holds them", async () => {
    const { requester, ticket: first } = await openTicket();
    const second = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Scanner", categoryId: await w.categoryId() },
    });
    const agent = await w.user("agent");
    // The bot read the first ticket's facts with the update (its session replies there)...
    const known = await readMessageFacts(w.ctx(requester), first.id);
    // ...but the message answers the second ticket: it goes there, and its facts are read.
    const { message, ticket } = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: second.id, body: "This one" },
      known,
    });
    expect(message.ticketId).toBe(second.id);
    expect(ticket.number).toBe(second.number);
    // Facts that went stale (an assignee since) leave the write to the general path,
    // which notifies the assignee the stale facts did not know.
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: first.id, assigneeId: agent.id } });
    const { message: late } = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: first.id, body: "Still there?" },
      known,
    });
    const rows = await w.db.select().from(notifications).where(eq(notifications.messageId, late.id));
    expect(rows.map((r) => r.chatId).sort()).toEqual([STAFF_CHAT, agent.telegramId].sort());
  });

  it("locks the ticket by its key, whatever the statistics, in the write's generic plan", async () => {
    await openTicket();
    const { sql: text } = messageStatements(w.db).write.getQuery();
    const params = new Set(text.match(/\$\d+/g)).size;
    const plan = await w.db.transaction(async (tx) => {
      // The plan a prepared statement settles on; the test tables have no statistics yet.
      await tx.execute(sql.raw("set local plan_cache_mode = force_generic_plan"));
      await tx.execute(sql.raw(`prepare lock_plan as ${text}`));
      const rows = await tx.execute(
        sql.raw(`explain execute lock_plan(${Array(params).fill("null").join(", ")})`),
      );
      await tx.execute(sql.raw("deallocate lock_plan"));
      // postgres.js gives the rows, PGlite a result holding them.
      const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as Record<
        string,
        unknown
      >[];
      return list.map((r) => String(Object.values(r)[0])).join("\n");
    });
    const lock = plan.slice(plan.indexOf("LockRows"));
    expect(lock.split("\n")[1]).toMatch(/Index Scan using tickets_pkey on tickets/);
  });
});
