import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ticketRatings, users } from "../../drizzle/schema/index.js";
import { changeTicketStatus, createTicket } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** PUT /api/tickets/:id/rating: the requester rates each resolution, changeable for 24 hours. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
const sessions = {} as Record<"agent" | "requester", { accessToken: string; user: { id: string } }>;

beforeAll(async () => {
  w = world();
  let tg = 950_100;
  for (const role of ["agent", "requester"] as const) {
    const s = await api().login(tg++, "en");
    await w.db.update(users).set({ role }).where(eq(users.id, s.user.id));
    sessions[role] = s;
  }
});

const rate = (who: keyof typeof sessions, id: string, body: object) =>
  api().call(sessions[who].accessToken, "PUT", `/api/tickets/${id}/rating`, body);

async function resolvedTicket() {
  const [requester] = await w.db.select().from(users).where(eq(users.id, sessions.requester.user.id));
  const [agent] = await w.db.select().from(users).where(eq(users.id, sessions.agent.user.id));
  const t = await createTicket({
    ctx: w.ctx(requester),
    input: { title: "Wi-Fi", categoryId: await w.categoryId() },
  });
  await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "resolved" } });
  return { t, requester, agent };
}

describe("rating over HTTP", () => {
  it("lets the requester rate a resolved ticket, change it and comment, each resolution once", async () => {
    const { t, requester, agent } = await resolvedTicket();
    let res = await rate("requester", t.id, { rating: 3 });
    expect(res.status).toBe(200);
    expect((await res.json()).rating).toBe(3);
    res = await rate("requester", t.id, { rating: 5, comment: "Works now" });
    expect(await res.json()).toMatchObject({ rating: 5, ratingComment: "Works now" });

    // Reopened and resolved again: a second resolution, rated afresh.
    await changeTicketStatus({ ctx: w.ctx(requester), input: { ticketId: t.id, status: "open" } });
    await changeTicketStatus({ ctx: w.ctx(agent), input: { ticketId: t.id, status: "resolved" } });
    res = await rate("requester", t.id, { rating: 2 });
    expect((await res.json()).rating).toBe(2);
    const stored = await w.db.select().from(ticketRatings).where(eq(ticketRatings.ticketId, t.id));
    expect(stored.map((r) => [r.resolution, r.score, r.comment]).sort()).toEqual([
      [1, 5, "Works now"],
      [2, 2, null],
    ]);
  });

  it("refuses staff, an open ticket, a comment before a rating and a change after 24 hours, with translated errors", async () => {
    const { t } = await resolvedTicket();
    expect((await rate("agent", t.id, { rating: 4 })).status).toBe(403);
    const res = await rate("requester", t.id, { comment: "no stars yet" });
    expect(res.status).toBe(409);
    expect((await res.json()).message).toContain("Choose a rating first");
    expect((await rate("requester", t.id, {})).status).toBe(422);
    expect((await rate("requester", t.id, { rating: 4 })).status).toBe(200);
    w.clock.set(new Date(w.clock.now().getTime() + 25 * 3_600_000));
    const late = await rate("requester", t.id, { rating: 1 });
    expect(late.status).toBe(409);
    expect((await late.json()).message).toContain("can no longer be changed");

    const [requester] = await w.db.select().from(users).where(eq(users.id, sessions.requester.user.id));
    const open = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Open", categoryId: await w.categoryId() },
    });
    expect((await rate("requester", open.id, { rating: 5 })).status).toBe(409);
  });
});
