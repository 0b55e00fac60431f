import { and, eq } from "drizzle-orm";
import { pino } from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  automationRules,
  cannedReplies,
  labels,
  messages,
  notifications,
  scheduledJobs,
  ticketEvents,
  ticketLabels,
  tickets,
  users,
} from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  changeTicketStatus,
  createAutomationRule,
  createTicket,
  type RuleAction,
  type RuleCondition,
  updateTicket,
} from "../../server/domain/index.js";
import { readMessageFacts, writeMessageInOneStatement } from "../../server/domain/tickets/one-statement.js";
import { addMessageSchema } from "../../server/domain/tickets/schemas.js";
import { jobHandlers } from "../../server/jobs/scheduler/handlers.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

const STAFF_CHAT = -1001000;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
let w: World;
let admin: Awaited<ReturnType<World["user"]>>;
beforeAll(async () => {
  w = world();
  admin = await w.user("admin");
});
afterEach(async () => {
  await w.db.delete(automationRules);
});

const logger = pino({ level: "silent" });
/** Runs the automation jobs that are due, as the scheduler does. */
const runJobs = () =>
  createScheduler({
    db: w.db,
    clock: w.clock,
    system: () => w.system(),
    handlers: { automation: jobHandlers.automation },
    logger,
  }).runDue();

async function rule(input: {
  name?: string;
  event?: "ticket_created" | "ticket_updated" | "message_created";
  match?: "all" | "any";
  conditions?: RuleCondition[];
  actions: RuleAction[];
  position?: number;
}) {
  return createAutomationRule({
    ctx: w.ctx(admin),
    input: { name: input.name ?? "rule", event: input.event ?? "ticket_created", ...input },
  });
}

async function open(
  extra: { title?: string; description?: string; priority?: "low" | "normal" | "high" } = {},
) {
  const requester = await w.user("requester");
  const ticket = await createTicket({
    ctx: w.ctx(requester),
    input: { title: "Printer", description: "", categoryId: await w.categoryId(), ...extra },
  });
  return { requester, ticket };
}
const ticketNow = async (id: string) => (await w.db.select().from(tickets).where(eq(tickets.id, id)))[0];
const historyOf = (id: string) => w.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id));
const automationJobs = (state = "pending") =>
  w.db
    .select()
    .from(scheduledJobs)
    .where(and(eq(scheduledJobs.kind, "automation"), eq(scheduledJobs.state, state)));

describe("automation rules", () => {
  it("queues nothing when no active rule listens to the event", async () => {
    await rule({ event: "ticket_updated", actions: [{ type: "set_priority", value: "high" }] });
    const { ticket } = await open();
    expect((await automationJobs()).filter((j) => j.payload.ticketId === ticket.id)).toHaveLength(0);
  });

  it("matches all conditions (category, text with Arabic or Persian letters) and records 'by rule X'", async () => {
    await rule({
      name: "Printers are urgent",
      conditions: [
        { field: "category", op: "is", value: await w.categoryId() },
        { field: "text", op: "contains", value: "چاپگر كار نمي" },
        { field: "priority", op: "is_not", value: "critical" },
      ],
      actions: [
        { type: "set_priority", value: "high" },
        { type: "add_note", body: "Checked by the rules" },
      ],
    });
    const hit = await open({ title: "چاپگر کار نمی‌کند" });
    const miss = await open({ title: "Monitor" });
    expect(await runJobs()).toBeGreaterThanOrEqual(2);

    expect((await ticketNow(hit.ticket.id)).priority).toBe("high");
    expect((await ticketNow(miss.ticket.id)).priority).toBe("normal");
    const history = await historyOf(hit.ticket.id);
    const ran = history.find((e) => e.kind === "automation");
    expect(ran).toMatchObject({ toValue: "Printers are urgent", actorId: null, comment: "ticket_created" });
    expect(history.find((e) => e.kind === "priority")).toMatchObject({
      fromValue: "normal",
      toValue: "high",
      comment: "rule:Printers are urgent",
    });
    const [note] = await w.db.select().from(messages).where(eq(messages.ticketId, hit.ticket.id));
    expect(note).toMatchObject({ body: "Checked by the rules", isInternal: true, source: "system" });
    expect((await historyOf(miss.ticket.id)).some((e) => e.kind === "automation")).toBe(false);
  });

  it("matches any of the conditions, and all only when every one holds", async () => {
    const conditions: RuleCondition[] = [
      { field: "priority", op: "is", value: "critical" },
      { field: "requester_language", op: "is", value: "en" },
    ];
    await rule({ name: "any", match: "any", conditions, actions: [{ type: "set_priority", value: "low" }] });
    const { ticket } = await open();
    await runJobs();
    expect((await ticketNow(ticket.id)).priority).toBe("low");
    await w.db.delete(automationRules);

    await rule({ name: "all", match: "all", conditions, actions: [{ type: "set_priority", value: "high" }] });
    const second = await open();
    await runJobs();
    expect((await ticketNow(second.ticket.id)).priority).toBe("normal");
  });

  it("compares branch, status and label conditions; adds labels, category, assignee and queues auto-assignment", async () => {
    const branch = await w.branch();
    const agent = await w.user("agent", { branchId: branch.id });
    const [label] = await w.db
      .insert(labels)
      .values({ name: `vip-${Date.now()}` })
      .returning();
    const other = await w.categoryId("software");
    await rule({
      conditions: [
        { field: "branch", op: "is", value: branch.id },
        { field: "status", op: "is", value: "open" },
        { field: "label", op: "is_not", value: label.id },
      ],
      actions: [
        { type: "add_label", value: label.id },
        { type: "set_category", value: other },
        { type: "assign", userId: agent.id },
        { type: "assign_auto" },
      ],
    });
    const requester = await w.user("requester", { branchId: branch.id });
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "VPN", categoryId: await w.categoryId() },
    });
    const elsewhere = await open();
    await runJobs();
    const after = await ticketNow(ticket.id);
    expect(after).toMatchObject({ categoryId: other, assigneeId: agent.id, status: "in_progress" });
    const onTicket = await w.db.select().from(ticketLabels).where(eq(ticketLabels.ticketId, ticket.id));
    expect(onTicket.map((l) => l.labelId)).toEqual([label.id]);
    const [auto] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `auto_assign:${ticket.id}`));
    expect(auto).toMatchObject({ kind: "auto_assign", state: "pending", payload: { ticketId: ticket.id } });
    expect((await ticketNow(elsewhere.ticket.id)).assigneeId).toBeNull();
    // The status the assignment moved is the rule's too; its change queued no rules.
    const moved = (await historyOf(ticket.id)).find((e) => e.kind === "status");
    expect(moved?.comment).toBe("rule:rule");
  });

  it("never loops: a rule's own status change does not trigger the rules again", async () => {
    await rule({
      name: "Wait for the customer",
      event: "ticket_updated",
      conditions: [{ field: "status", op: "is", value: "in_progress" }],
      actions: [{ type: "set_status", value: "waiting_customer" }],
    });
    const { ticket } = await open();
    const agent = await w.user("agent");
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "in_progress" } });
    await runJobs();
    expect((await ticketNow(ticket.id)).status).toBe("waiting_customer");
    expect((await automationJobs()).filter((j) => j.payload.ticketId === ticket.id)).toHaveLength(0);
    await runJobs();
    const runs = (await historyOf(ticket.id)).filter((e) => e.kind === "automation");
    expect(runs).toHaveLength(1);
    // A person's next change is heard again.
    await updateTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, priority: "high" } });
    expect((await automationJobs()).filter((j) => j.payload.ticketId === ticket.id)).toHaveLength(1);
  });

  it("runs message rules for a message written in one statement, not for notes", async () => {
    await rule({
      name: "Urgent words",
      event: "message_created",
      conditions: [
        { field: "author", op: "is", value: "requester" },
        { field: "text", op: "contains", value: "URGENT" },
      ],
      actions: [
        { type: "set_priority", value: "critical" },
        { type: "notify_chat", chatId: -100777, text: "Someone shouts" },
      ],
    });
    const { requester, ticket } = await open();
    const facts = await readMessageFacts(w.ctx(requester), ticket.id);
    expect(facts?.messageRules).toBe(true);
    const data = addMessageSchema.parse({ ticketId: ticket.id, body: "this is urgent!" });
    const written = await writeMessageInOneStatement(w.ctx(requester), data, facts!);
    expect(written).not.toBeNull();
    const [job] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `automation:message:${written!.message.id}`));
    expect(job.payload).toMatchObject({
      ticketId: ticket.id,
      event: "message_created",
      changedBy: requester.id,
    });

    const staff = await w.user("agent");
    await addTicketMessage({
      ctx: w.ctx(staff),
      input: { ticketId: ticket.id, body: "urgent note", internal: true },
    });
    expect((await automationJobs()).filter((j) => j.payload.ticketId === ticket.id)).toHaveLength(1);

    await runJobs();
    expect((await ticketNow(ticket.id)).priority).toBe("critical");
    const [notice] = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.ticketId, ticket.id), eq(notifications.chatId, -100777)));
    expect(notice).toMatchObject({ type: "system", state: "pending" });
    expect(notice.payload).toMatchObject({ change: { kind: "rule_notice", text: "Someone shouts" } });
  });

  it("sends a canned reply in the requester's language with its placeholders filled", async () => {
    const [reply] = await w.db
      .insert(cannedReplies)
      .values({
        scope: "global",
        title: "Got it",
        bodies: {
          fa: "سلام {requester.first_name}",
          en: "Hi {requester.first_name}, {ticket.number} is in.",
        },
      })
      .returning();
    await rule({ actions: [{ type: "send_canned", cannedReplyId: reply.id }] });
    const { requester, ticket } = await open();
    await runJobs();
    const [sent] = await w.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(sent).toMatchObject({
      body: `Hi ${requester.firstName}, ${ticket.number} is in.`,
      isInternal: false,
      source: "system",
    });
    const toRequester = await w.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.messageId, sent.id), eq(notifications.recipientId, requester.id)));
    expect(toRequester).toHaveLength(1);
  });

  it("writes a refused rule down as failed and still runs the rules after it", async () => {
    const agent = await w.user("agent");
    await rule({ name: "Gone", position: 1, actions: [{ type: "assign", userId: agent.id }] });
    await rule({ name: "Next", position: 2, actions: [{ type: "set_priority", value: "high" }] });
    await w.db.update(users).set({ isActive: false }).where(eq(users.id, agent.id));
    const { ticket } = await open();
    await runJobs();
    const runs = (await historyOf(ticket.id)).filter((e) => e.kind === "automation");
    expect(runs.map((e) => [e.toValue, e.comment])).toEqual([
      ["Gone", "failed:VALIDATION"],
      ["Next", "ticket_created"],
    ]);
    expect(await ticketNow(ticket.id)).toMatchObject({ assigneeId: null, priority: "high" });
  });
});
