import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../drizzle/client.js";
import type { Ticket, User } from "../../drizzle/schema/index.js";
import { rowsOf } from "../../server/domain/delivery/budget.js";
import {
  addTicketMessage,
  assignTicket,
  createTicket,
  listQueueRows,
  listTicketMessages,
  updateTicket,
} from "../../server/domain/index.js";
import { FOLD_FROM, foldText } from "../../server/domain/search.js";
import { createTestDb } from "../helpers/db.js";
import { createWorld, type World } from "../helpers/fixtures.js";

let handle: DbHandle;
let w: World;
let requester: User;
let other: User;
let agent: User;
let keyboard: Ticket;
let refund: Ticket;
let quiet: Ticket;
let open: (who: User, title: string, description?: string) => Promise<Ticket>;

beforeAll(async () => {
  handle = await createTestDb();
  w = createWorld(handle.db);
  const branchId = (await w.branch("search_home")).id;
  requester = await w.user("requester", {
    branchId,
    firstName: "Sara",
    lastName: "Ahmadi",
    username: "sara_a",
  });
  other = await w.user("requester", { branchId });
  agent = await w.user("agent", { branchId, firstName: "Reza" });
  const categoryId = await w.categoryId("software");
  open = (who: User, title: string, description = "") =>
    createTicket({ ctx: w.ctx(who), input: { title, description, categoryId } });
  // Typed on an Arabic keyboard (ك, ي) with Arabic-Indic digits.
  keyboard = await open(requester, "كيبورد اتاق ٣٠٤ كار نمي‌كند");
  refund = await open(requester, "Tuition question", "About the spring term");
  quiet = await open(other, "Unrelated ticket");
  await addTicketMessage({
    ctx: w.ctx(requester),
    input: { ticketId: refund.id, body: "I paid twice, please refund the second payment of the invoice" },
  });
  await addTicketMessage({
    ctx: w.ctx(agent),
    input: { ticketId: quiet.id, body: "Checked with accounting: zanzibar code", internal: true },
  });
});
afterAll(() => handle.close());

const numbers = (page: { items: Ticket[] }) => page.items.map((t) => t.number).sort();
const search = (who: User, q: string) => listQueueRows({ ctx: w.ctx(who), input: { q, limit: 100 } });

/** The numbers a search finds, read one row a page through its cursors. */
async function pagedOneByOne(who: User, q: string, sort?: "priority_desc"): Promise<string[]> {
  const walked: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listQueueRows({ ctx: w.ctx(who), input: { q, limit: 1, cursor, sort } });
    walked.push(...page.items.map((t) => t.number));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return walked;
}

describe("the queue's search", () => {
  it("reads Persian typed on any keyboard alike: ی/ي, ک/ك, with or without ZWNJ, any digits", async () => {
    for (const q of ["کیبورد", "كيبورد", "304", "۳۰۴", "٣٠٤", "نمیکند", "نمی‌کند"]) {
      expect(numbers(await search(agent, q)), q).toEqual([keyboard.number]);
    }
  });

  it("finds words in every message of the thread and shows them in context", async () => {
    const page = await search(agent, "REFUND");
    expect(numbers(page)).toEqual([refund.number]);
    expect(page.items[0].match).toContain("please refund the second");
    // A word of the description is shown from there.
    expect((await search(agent, "spring")).items[0].match).toBe("About the spring term");
  });

  it("pages a common word (tested ticket by ticket) exactly as a rare one (found by the indexes)", async () => {
    // "T-" is in every number: each one-row page is filled from the newest tickets.
    const all = await search(agent, "T-");
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    expect(await pagedOneByOne(agent, "T-")).toEqual(all.items.map((t) => t.number));
  });

  it("pages tickets found by their text and by their messages together, in the list's order", async () => {
    const titled = await open(requester, "Projector marmoset");
    await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: keyboard.id, body: "the marmoset cable is loose" },
    });
    const all = await search(agent, "marmoset");
    expect(numbers(all)).toEqual([keyboard.number, titled.number].sort());
    expect(await pagedOneByOne(agent, "marmoset")).toEqual(all.items.map((t) => t.number));
    // A third found by both, and the priority order: the page of the two sides merged is cut to size.
    const both = await open(requester, "Marmoset again");
    await addTicketMessage({ ctx: w.ctx(requester), input: { ticketId: both.id, body: "marmoset" } });
    await updateTicket({ ctx: w.ctx(agent), input: { ticketId: titled.id, priority: "critical" } });
    const byPriority = await listQueueRows({
      ctx: w.ctx(agent),
      input: { q: "marmoset", limit: 100, sort: "priority_desc" },
    });
    expect(byPriority.items.map((t) => t.number)).toHaveLength(3);
    expect(byPriority.items[0].number).toBe(titled.number);
    expect(await pagedOneByOne(agent, "marmoset", "priority_desc")).toEqual(
      byPriority.items.map((t) => t.number),
    );
  });

  it("asks the index for a number's digits but matches only the whole search", async () => {
    const invoice = await open(other, "Fees", "Refund for invoice T-INV-00004211 please");
    const payment = await open(other, "Fees", "Payment 00004211 received");
    expect(numbers(await search(agent, "invoice T-INV-00004211"))).toEqual([invoice.number]);
    expect(numbers(await search(agent, "t-inv-۰۰۰۰۴۲۱۱"))).toEqual([invoice.number]);
    expect(numbers(await search(agent, "invoice ۰۰۰۰۴۲۱۱"))).toEqual([]);
    expect(numbers(await search(agent, "00004211"))).toEqual([invoice.number, payment.number].sort());
    expect(numbers(await search(agent, "payment 00004211"))).toEqual([payment.number]);
  });

  it("never matches a requester on an internal note; staff find it", async () => {
    expect(numbers(await search(agent, "zanzibar"))).toEqual([quiet.number]);
    expect(numbers(await search(other, "zanzibar"))).toEqual([]);
  });

  it("folds in JavaScript exactly as the database does", async () => {
    const alphabet = [...FOLD_FROM, ..."aZ ЁжЯ یکهی0123 ABC-é"];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), async (chars) => {
        const text = chars.join("");
        const [row] = rowsOf<{ f: string }>(await handle.db.execute(sql`select helpdesk_fold(${text}) as f`));
        expect(row.f).toBe(foldText(text));
      }),
      { numRuns: 60, seed: 17 },
    );
  });
});

describe("a queue row", () => {
  it("shows the requester, the assignee, the last message, the wait and what is unread", async () => {
    const row = async () => (await search(agent, refund.number)).items[0];
    let r = await row();
    expect(r.requester).toEqual({ id: requester.id, name: "Sara Ahmadi", username: "sara_a" });
    expect(r.assignee).toBeNull();
    expect(r.lastMessage).toMatchObject({ fromRequester: true, internal: false });
    expect(r.lastMessage?.snippet).toMatch(/^I paid twice/);
    // Nobody has answered yet: the requester has waited since the ticket was opened.
    expect(r.waitingSince?.getTime()).toBe(refund.createdAt.getTime());
    expect(r.unread).toBe(1);

    await assignTicket({ ctx: w.ctx(agent), input: { ticketId: refund.id, assigneeId: agent.id } });
    await addTicketMessage({ ctx: w.ctx(agent), input: { ticketId: refund.id, body: "Refund sent today" } });
    await listTicketMessages({ ctx: w.ctx(agent), input: { ticketId: refund.id } });
    r = await row();
    expect(r.assignee).toMatchObject({ id: agent.id, name: "Reza" });
    expect(r.lastMessage).toMatchObject({ snippet: "Refund sent today", fromRequester: false });
    expect(r.waitingSince).toBeNull();
    expect(r.unread).toBe(0);

    const again = await addTicketMessage({
      ctx: w.ctx(requester),
      input: { ticketId: refund.id, body: "Thanks, one more thing" },
    });
    r = await row();
    expect(r.unread).toBe(1);
    expect(r.waitingSince?.getTime()).toBe(again.message.createdAt.getTime());
    // The requester's own view: staff replies they have not opened count, staff names stay hidden.
    const mine = (await search(requester, refund.number)).items[0];
    expect(mine.unread).toBe(1);
    expect(mine.assignee).toBeNull();
  });
});
