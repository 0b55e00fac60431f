import { beforeAll, describe, expect, it } from "vitest";
import { addTicketMessage, changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { deliveryWorker, drainAll, setupFakeTelegram } from "./outbox-harness.js";

/** A plain staff group's card is edited when what it shows changes, never to show the same again. */
const STAFF = -1007400;
const world = setupTestWorld({ staffChatId: STAFF });
const fakeTelegram = setupFakeTelegram();
let w: World;
beforeAll(() => {
  w = world();
});

describe("the ticket card in a plain staff group", () => {
  it("is not edited for messages that change nothing on it, and edited once when the status changes", async () => {
    const fake = fakeTelegram();
    const worker = await deliveryWorker(w.db, fake);
    const requester = await w.user("requester");
    const agent = await w.user("agent");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: {
        title: "Wi-Fi in the library",
        description: "Drops every ten minutes.",
        categoryId: await w.categoryId(),
      },
    });
    await drainAll(worker, w.db);
    const edits = () =>
      fake.calls.filter((c) => c.method === "editMessageText" && Number(c.params.chat_id) === STAFF);

    for (const body of ["It dropped again", "And once more"])
      await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: ticket.id, body } });
    await drainAll(worker, w.db);
    expect(edits()).toHaveLength(0);

    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: ticket.id, status: "in_progress" } });
    await addTicketMessage({
      ctx: w.ctx(agent),
      input: { ticketId: ticket.id, body: "Restarting the access point" },
    });
    await drainAll(worker, w.db);
    expect(edits()).toHaveLength(1);
    // The edited card still carries the description, beside the new status.
    expect(String(edits()[0].params.text)).toContain("Drops every ten minutes.");
  });

  it("carries words with $ signs as written ($& and $' are no replacement patterns)", async () => {
    const fake = fakeTelegram();
    const worker = await deliveryWorker(w.db, fake);
    const requester = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Price list", categoryId: await w.categoryId() },
    });
    await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: ticket.id, body: "It costs $$5, see $& and $' and $` here" },
    });
    await drainAll(worker, w.db);
    const post = fake.sends(STAFF).at(-1);
    expect(String(post?.params.text)).toContain("It costs $$5, see $&amp; and $' and $` here");
  });
});
