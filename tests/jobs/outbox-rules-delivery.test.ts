import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { notifications, type User } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  assignTicket,
  changeTicketStatus,
  createTicket,
  setNotificationPrefs,
} from "../../server/domain/index.js";
import type { OutboxWorker } from "../../server/jobs/outbox/worker.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll, setupFakeTelegram } from "./outbox-harness.js";

const STAFF_CHAT = -1002000;
const world = setupTestWorld({ staffChatId: STAFF_CHAT });
const fakeTelegram = setupFakeTelegram();
let w: World;
let worker: OutboxWorker;
let agent: User;

beforeAll(async () => {
  w = world();
  worker = await deliveryWorker(w.db, fakeTelegram());
  agent = await w.user("agent", { language: "en" });
});
beforeEach(() => fakeTelegram().clear());

const textsTo = (chatId: number) =>
  fakeTelegram()
    .sends(chatId)
    .map((c) => String(c.params.text ?? ""));

describe.each([
  ["fa", "در حال بررسی", "بسته شد", "پاسخ به تیکت"],
  ["en", "In progress", "is closed", "Answer on"],
  ["ru", "В работе", "закрыта", "Ответ по заявке"],
] as const)("every rule reaches Telegram in %s", (language, inProgressWord, closedWord, replyWord) => {
  it("new ticket, assignment, staff reply, note, status and close with rating", async () => {
    const requester = await w.user("requester", { language });
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: `Printer <b>${language}</b>`, categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    const staffPost = textsTo(STAFF_CHAT).at(-1) ?? "";
    expect(staffPost).toContain(ticket.number);
    expect(staffPost).toContain("&lt;b&gt;"); // user text is escaped in HTML mode
    const take = fakeTelegram().sends(STAFF_CHAT).at(-1)?.params.reply_markup as {
      inline_keyboard: { callback_data?: string }[][];
    };
    expect(take.inline_keyboard[0][0].callback_data).toMatch(/^take:/);

    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: ticket.id, assigneeId: agent.id } });
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: ticket.id, body: "Try restarting it" } });
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, body: "secret note", internal: true },
    });
    await drainAll(worker, w.db);
    const toRequester = textsTo(requester.telegramId);
    expect(toRequester.some((t) => t.includes(replyWord) && t.includes("Try restarting it"))).toBe(true);
    expect(toRequester.join("\n")).not.toContain("secret note");
    // Taking the ticket moved it to in_progress: the requester hears it in their language.
    expect(toRequester.some((t) => t.includes(inProgressWord))).toBe(true);

    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "resolved" } });
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "closed" } });
    await drainAll(worker, w.db);
    const last = fakeTelegram().sends(requester.telegramId).at(-1);
    expect(String(last?.params.text)).toContain(closedWord);
    const markup = last?.params.reply_markup as
      | { inline_keyboard: { callback_data: string }[][] }
      | undefined;
    const stars = markup?.inline_keyboard.flat() ?? [];
    expect(stars.map((b) => b.callback_data.split(":")[2])).toEqual(["1", "2", "3", "4", "5"]);
  });
});

describe("who does not hear", () => {
  it("tells the requester each status a quick series of changes made, not the last one twice", async () => {
    const requester = await w.user("requester", { language: "en" });
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Two changes", categoryId: await w.categoryId() },
    });
    await drainAll(worker, w.db);
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "in_progress" } });
    await changeTicketStatus({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, status: "waiting_customer" },
    });
    await drainAll(worker, w.db);
    const told = textsTo(requester.telegramId).filter((x) => x.includes("is now"));
    expect(told).toHaveLength(2);
    expect(told[0]).toContain("In progress");
    expect(told[1]).toContain("Waiting for");
  });

  it("the actor never gets their own action, and muted kinds are not sent", async () => {
    const requester = await w.user("requester", { language: "en" });
    await setNotificationPrefs({ ctx: w.ctx(requester), input: { prefs: { status_changed: false } } });
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Muted", categoryId: await w.categoryId() },
    });
    await changeTicketStatus({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, status: "waiting_customer" },
    });
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ticket.id, body: "me again" } });
    await drainAll(worker, w.db);
    expect(textsTo(requester.telegramId)).toEqual([]);
    const rows = await w.db.select().from(notifications).where(eq(notifications.ticketId, ticket.id));
    expect(rows.every((r) => r.state === "sent")).toBe(true);
  });
});
