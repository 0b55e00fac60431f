import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { liveChats, tickets, users } from "../../drizzle/schema/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/** /api/presence and /api/live through the HTTP door, signed in with Telegram initData. */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;

const as = async (telegramId: number, role: "moderator" | "agent" | "requester") => {
  const s = await api().login(telegramId, "en");
  await w.db.update(users).set({ role }).where(eq(users.id, s.user.id));
  return { token: s.accessToken, id: s.user.id };
};
const json = async (res: Response) => ({ status: res.status, body: await res.json() });

let moderator: { token: string; id: string };
let agent: { token: string; id: string };
let colleague: { token: string; id: string };
let requesters: { token: string; id: string }[];

beforeAll(async () => {
  w = world();
  moderator = await as(960_001, "moderator");
  agent = await as(960_002, "agent");
  colleague = await as(960_003, "agent");
  requesters = [
    await as(960_010, "requester"),
    await as(960_011, "requester"),
    await as(960_012, "requester"),
  ];
  await w.db
    .update(users)
    .set({ liveCapacity: 1 })
    .where(inArray(users.id, [agent.id, colleague.id]));
});

describe("live chat over HTTP", () => {
  it("sets presence, queues several requesters in order, and moves them through accept, leave, transfer and end", async () => {
    expect(
      (await api().call(requesters[0].token, "PUT", "/api/presence", { presence: "online" })).status,
    ).toBe(403);
    expect((await api().call(agent.token, "PUT", "/api/presence", { presence: "away" })).status).toBe(422);
    expect(
      await json(await api().call(agent.token, "PUT", "/api/presence", { presence: "online" })),
    ).toMatchObject({
      status: 200,
      body: { presence: "online" },
    });
    expect((await json(await api().call(agent.token, "GET", "/api/presence"))).body.presence).toBe("online");

    const asked = [];
    for (const r of requesters)
      asked.push((await json(await api().call(r.token, "POST", "/api/live/ask", {}))).body);
    expect(asked.map((a) => [a.outcome, a.chat.state])).toEqual([
      ["queued", "offered"],
      ["queued", "queued"],
      ["queued", "queued"],
    ]);
    const board = await json(await api().call(moderator.token, "GET", "/api/live/queue"));
    expect(board.body.chats.map((c: { position: number | null }) => c.position)).toEqual([null, 1, 2]);
    expect(board.body.staff.map((s: { id: string }) => s.id)).toContain(agent.id);
    expect((await api().call(requesters[0].token, "GET", "/api/live/queue")).status).toBe(403);

    const mine = await json(await api().call(agent.token, "GET", "/api/live/mine"));
    expect(mine.body.map((c: { id: string }) => c.id)).toEqual([asked[0].chat.id]);
    expect((await api().call(colleague.token, "POST", `/api/live/${asked[0].chat.id}/accept`)).status).toBe(
      409,
    );
    const accepted = await json(
      await api().call(agent.token, "POST", `/api/live/${asked[0].chat.id}/accept`),
    );
    expect(accepted.body.state).toBe("active");

    // The second requester leaves; the third moves up to first.
    expect(
      (await api().call(requesters[2].token, "POST", `/api/live/${asked[1].chat.id}/leave`)).status,
    ).toBe(404);
    expect(
      (await api().call(requesters[1].token, "POST", `/api/live/${asked[1].chat.id}/leave`)).status,
    ).toBe(200);
    const after = await json(await api().call(moderator.token, "GET", "/api/live/queue"));
    expect(after.body.chats.map((c: { id: string; position: number | null }) => [c.id, c.position])).toEqual([
      [asked[0].chat.id, null],
      [asked[2].chat.id, 1],
    ]);

    // Supervisor moves: agents may not take over; the moderator transfers, then takes over.
    expect((await api().call(colleague.token, "POST", `/api/live/${asked[0].chat.id}/takeover`)).status).toBe(
      403,
    );
    const moved = await json(
      await api().call(moderator.token, "POST", `/api/live/${asked[0].chat.id}/transfer`, {
        operatorId: colleague.id,
      }),
    );
    expect(moved.body.operatorId).toBe(colleague.id);
    const taken = await json(
      await api().call(moderator.token, "POST", `/api/live/${asked[0].chat.id}/takeover`),
    );
    expect(taken.body.operatorId).toBe(moderator.id);

    // Ending frees nobody's place here (the moderator is not online), but the ticket is resolved with its history.
    expect((await api().call(requesters[0].token, "POST", `/api/live/${asked[0].chat.id}/end`)).status).toBe(
      200,
    );
    const [ticket] = await w.db.select().from(tickets).where(eq(tickets.id, asked[0].chat.ticketId));
    expect([ticket.status, ticket.channel, ticket.assigneeId]).toEqual(["resolved", "live", moderator.id]);

    const report = await json(
      await api().call(moderator.token, "GET", "/api/live/report?from=2026-03-19&to=2026-03-21"),
    );
    expect(report.body).toMatchObject({ asked: 3, ended: 1, abandoned: 1, open: 1 });
    expect(report.body.queueWait.count).toBe(1);
    expect((await api().call(requesters[0].token, "GET", "/api/live/report")).status).toBe(403);
    const left = await w.db.select().from(liveChats).where(eq(liveChats.id, asked[1].chat.id));
    expect(left[0].state).toBe("abandoned");
  });
});
