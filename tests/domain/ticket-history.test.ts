import { beforeAll, describe, expect, it } from "vitest";
import { labels } from "../../drizzle/schema/index.js";
import {
  addTicketMessage,
  createTicket,
  editTicketMessage,
  getTicketHistory,
  updateTicket,
} from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/** Every change leaves a trace: the ticket's history says what changed, from what, to what. */
const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const changes = (events: { kind: string; fromValue: string | null; toValue: string | null }[]) =>
  events
    .filter((e) => e.kind !== "created" && e.kind !== "message")
    .map((e) => [e.kind, e.fromValue, e.toValue]);

describe("ticket history", () => {
  it("records title, priority, category and labels from → to, only for what changed", async () => {
    const requester = await w.user("requester");
    const moderator = await w.user("moderator");
    const network = await w.categoryId("network");
    const other = await w.categoryId("software");
    const t = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Slow Wi-Fi", categoryId: network },
    });
    const [a, b] = await w.db
      .insert(labels)
      .values([{ name: `a-${Date.now()}` }, { name: `b-${Date.now()}` }])
      .returning();
    const ctx = w.ctx(moderator);
    await updateTicket({ ctx, input: { ticketId: t.id, title: "Slow Wi-Fi on floor 2", priority: "high" } });
    await updateTicket({ ctx, input: { ticketId: t.id, categoryId: other, labelIds: [a.id] } });
    // Unchanged values leave no trace.
    await updateTicket({ ctx, input: { ticketId: t.id, priority: "high", labelIds: [a.id] } });
    await updateTicket({ ctx, input: { ticketId: t.id, labelIds: [b.id, a.id] } });
    const history = await getTicketHistory({ ctx, input: { ticketId: t.id } });
    expect(changes(history)).toEqual([
      ["title", "Slow Wi-Fi", "Slow Wi-Fi on floor 2"],
      ["priority", "normal", "high"],
      ["category", network, other],
      ["label", null, a.id],
      ["label", a.id, [a.id, b.id].sort().join(",")],
    ]);
    expect(history.every((e) => e.kind === "created" || e.actorId === moderator.id)).toBe(true);
  });

  it("records a message's edit with the old and new text; a note's edit only staff see", async () => {
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const t = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Edit trail", categoryId: await w.categoryId() },
    });
    const said = { chatId: requester.telegramId, messageId: 7001 };
    await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: t.id, body: "pritner", origin: said },
    });
    await editTicketMessage({ ctx: w.ctx(requester), input: { origin: said, body: "printer" } });
    // The same text again is no change.
    await editTicketMessage({ ctx: w.ctx(requester), input: { origin: said, body: "printer" } });
    const noted = { chatId: -100_777, messageId: 7002 };
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: { ticketId: t.id, body: "check teh toner", internal: true, source: "staff_chat", origin: noted },
    });
    await editTicketMessage({ ctx: w.ctx(agent), input: { origin: noted, body: "check the toner" } });

    const staffView = await getTicketHistory({ ctx: w.ctx(agent), input: { ticketId: t.id } });
    expect(changes(staffView.filter((e) => e.kind !== "note"))).toEqual([
      ["message_edit", "pritner", "printer"],
      ["note_edit", "check teh toner", "check the toner"],
    ]);
    const requesterView = await getTicketHistory({ ctx: w.ctx(requester), input: { ticketId: t.id } });
    expect(changes(requesterView)).toEqual([["message_edit", "pritner", "printer"]]);
  });
});
