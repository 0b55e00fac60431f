import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { branches, notifications, type User } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
  setNotificationPrefs,
  updateSettings,
} from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * The outbox rows each change records (SPEC §6), read back from the table the
 * delivery worker sends from. STAFF_CHAT is the global staff group of the world.
 */
const STAFF_CHAT = -1001000;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
let w: World;
let requester: User;
let agent: User;
let other: User;
beforeAll(async () => {
  w = world();
  requester = await w.user("requester");
  agent = await w.user("agent");
  other = await w.user("agent");
});

async function rowsOf(ticketId: string) {
  const rows = await w.db.select().from(notifications).where(eq(notifications.ticketId, ticketId));
  return rows.map((r) => ({ type: r.type, chatId: r.chatId, recipientId: r.recipientId, state: r.state }));
}
async function newTicket(branchId: string | null = null) {
  return createTicket({
    ctx: w.ctx(requester),
    input: { title: "Outbox case", categoryId: await w.categoryId(), branchId },
  });
}

describe("what a change puts in the outbox", () => {
  it("new ticket → the staff chat, plus staff of the scope who opted in", async () => {
    await setNotificationPrefs({ ctx: w.ctx(other), input: { prefs: { new_ticket: true } } });
    const t = await newTicket();
    const rows = await rowsOf(t.id);
    expect(rows).toContainEqual({
      type: "new_ticket",
      chatId: STAFF_CHAT,
      recipientId: null,
      state: "pending",
    });
    expect(rows).toContainEqual({
      type: "new_ticket",
      chatId: other.telegramId,
      recipientId: other.id,
      state: "pending",
    });
    expect(rows.some((r) => r.recipientId === agent.id)).toBe(false);
  });

  it("uses the branch's own staff chat when it has one", async () => {
    const branch = await w.branch();
    await w.db.update(branches).set({ staffChatId: -100555 }).where(eq(branches.id, branch.id));
    const t = await newTicket(branch.id);
    expect((await rowsOf(t.id)).filter((r) => r.recipientId === null).map((r) => r.chatId)).toEqual([
      -100555,
    ]);
  });

  it("follows the admin's staff chat setting over STAFF_CHAT_ID; a branch's own chat still wins", async () => {
    const admin = await w.user("admin");
    await updateSettings({ ctx: w.ctx(admin), input: { staff_chat_id: -100666 } });
    try {
      const global = await newTicket();
      const branch = await w.branch();
      await w.db.update(branches).set({ staffChatId: -100556 }).where(eq(branches.id, branch.id));
      const local = await newTicket(branch.id);
      const chatsOf = async (id: string) =>
        (await rowsOf(id)).filter((r) => r.recipientId === null).map((r) => r.chatId);
      expect(await chatsOf(global.id)).toEqual([-100666]);
      expect(await chatsOf(local.id)).toEqual([-100556]);
    } finally {
      await updateSettings({ ctx: w.ctx(admin), input: { staff_chat_id: null } });
    }
  });

  it("assignment → the new assignee and the previous one, never the actor", async () => {
    const moderator = await w.user("moderator");
    const t = await newTicket();
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: t.id, assigneeId: agent.id } });
    let rows = await rowsOf(t.id);
    expect(rows.some((r) => r.type === "assigned" && r.recipientId === agent.id)).toBe(false);
    await assignTicket({ ctx: w.ctx(moderator), input: { ticketId: t.id, assigneeId: other.id } });
    rows = await rowsOf(t.id);
    const assignedTo = rows.filter((r) => r.type === "assigned" && r.recipientId).map((r) => r.recipientId);
    expect(assignedTo.sort()).toEqual([agent.id, other.id].sort());
  });

  it("messages → the other side; notes never to the requester", async () => {
    const t = await newTicket();
    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: t.id, assigneeId: agent.id } });
    const before = (await rowsOf(t.id)).length;
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: t.id, body: "hello?" } });
    let fresh = (await rowsOf(t.id)).slice(before);
    expect(fresh.map((r) => r.chatId).sort()).toEqual([STAFF_CHAT, agent.telegramId].sort());
    const mid = (await rowsOf(t.id)).length;
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: t.id, body: "on it" } });
    fresh = (await rowsOf(t.id)).slice(mid);
    expect(fresh.some((r) => r.recipientId === requester.id && r.type === "new_message")).toBe(true);
    const beforeNote = (await rowsOf(t.id)).length;
    await addTicketMessage({ ctx: w.ctx(other), input: { ticketId: t.id, body: "fyi", internal: true } });
    fresh = (await rowsOf(t.id)).slice(beforeNote);
    expect(fresh).toEqual([
      { type: "new_message", chatId: agent.telegramId, recipientId: agent.id, state: "pending" },
    ]);
  });

  it("status change → the requester; close → a 'closed' row; muted kinds are not recorded", async () => {
    const t = await newTicket();
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "resolved" } });
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "closed" } });
    const toRequester = (await rowsOf(t.id)).filter((r) => r.recipientId === requester.id).map((r) => r.type);
    expect(toRequester).toEqual(["status_changed", "closed"]);

    await setNotificationPrefs({ ctx: w.ctx(requester), input: { prefs: { status_changed: false } } });
    const t2 = await newTicket();
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t2.id, status: "waiting_customer" } });
    expect((await rowsOf(t2.id)).some((r) => r.recipientId === requester.id)).toBe(false);
    await setNotificationPrefs({ ctx: w.ctx(requester), input: { prefs: { status_changed: true } } });
  });

  it("records rows for a user who blocked the bot as skipped", async () => {
    const blocked = await w.user("requester", { botBlocked: true });
    const t = await createTicket({
      ctx: w.ctx(blocked),
      input: { title: "Blocked", categoryId: await w.categoryId() },
    });
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "in_progress" } });
    const mine = (await rowsOf(t.id)).filter((r) => r.recipientId === blocked.id);
    expect(mine.map((r) => r.state)).toEqual(["skipped"]);
  });
});
