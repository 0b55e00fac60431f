import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  businessCalendars,
  liveChats,
  notifications,
  scheduledJobs,
  tickets,
  type User,
  users,
} from "../../drizzle/schema/index.js";
import {
  acceptLive,
  askLive,
  declineLive,
  endLive,
  leaveLiveQueue,
  liveBoard,
  liveOfferTimeout,
  myLiveChats,
  presenceTimeout,
  setLivePresence,
  takeOverLive,
  transferLive,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

// Routing looks at every online operator and every waiting chat: each test starts from an empty floor.
beforeEach(async () => {
  await w.db.update(users).set({ presence: "offline" });
  await w.db
    .update(liveChats)
    .set({ state: "ended" })
    .where(inArray(liveChats.state, ["queued", "offered", "active"]));
});

async function online(role: "agent" | "moderator" = "agent", extra: Partial<User> = {}) {
  const u = await w.user(role, extra);
  await setLivePresence({ ctx: w.ctx(u), input: { presence: "online" } });
  return u;
}

async function ask(requester: User) {
  const r = await askLive({ ctx: w.ctx(requester), input: {} });
  if (r.outcome === "closed_hours") throw new Error("closed");
  return r.chat;
}

const chatOf = async (id: string) => (await w.db.select().from(liveChats).where(eq(liveChats.id, id)))[0];

/** The live notices one person was sent, oldest first. */
async function noticesTo(user: User) {
  const rows = await w.db
    .select()
    .from(notifications)
    .where(
      and(eq(notifications.recipientId, user.id), sql`${notifications.payload}->'change'->>'kind' = 'live'`),
    )
    .orderBy(notifications.seq);
  return rows.map((r) => ({
    id: r.id,
    ...(r.payload as { change: { event: string; position?: number }; editOf?: string }).change,
    editOf: (r.payload as { editOf?: string }).editOf,
  }));
}

describe("presence", () => {
  it("lets staff set it, refuses requesters, and goes offline after the set time without activity", async () => {
    const requester = await w.user("requester");
    expect(await outcome(setLivePresence({ ctx: w.ctx(requester), input: { presence: "online" } }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(setLivePresence({ ctx: w.ctx(requester), input: { presence: "away" } }))).toBe(
      "VALIDATION",
    );
    const agent = await online();
    const [job] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `presence:${agent.id}`));
    expect(job.kind).toBe("presence_timeout");
    // Run early: the agent was active, so the job only moves on.
    expect((await presenceTimeout({ ctx: w.system(), input: { userId: agent.id } }))?.presence).toBe(
      "online",
    );
    w.clock.set(new Date(job.runAt.getTime() + 1000));
    expect((await presenceTimeout({ ctx: w.system(), input: { userId: agent.id } }))?.presence).toBe(
      "offline",
    );
    expect(await outcome(presenceTimeout({ ctx: w.ctx(agent), input: { userId: agent.id } }))).toBe(
      "FORBIDDEN",
    );
  });
});

describe("offer, timeout, accept", () => {
  it("offers to the longest-idle operator, passes it on after the timeout, and connects on accept", async () => {
    const idle = await online();
    const recent = await online("agent", { liveIdleSince: new Date("2026-03-20T07:00:00Z") });
    await w.db.update(users).set({ liveIdleSince: null }).where(eq(users.id, idle.id));
    const requester = await w.user("requester");
    const chat = await ask(requester);
    expect(chat.state).toBe("offered");
    expect(chat.offeredTo).toBe(idle.id);
    const [ticket] = await w.db.select().from(tickets).where(eq(tickets.id, chat.ticketId));
    expect(ticket.channel).toBe("live");
    expect((await noticesTo(idle)).map((n) => n.event)).toEqual(["offer"]);
    expect((await myLiveChats({ ctx: w.ctx(idle) })).map((c) => c.id)).toEqual([chat.id]);

    // The other operator cannot accept an offer that is not theirs.
    expect(await outcome(acceptLive({ ctx: w.ctx(recent), input: { chatId: chat.id } }))).toBe("CONFLICT");
    const [job] = await w.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.key, `live_offer:${chat.id}`));
    w.clock.set(new Date(job.runAt.getTime() + 1));
    await liveOfferTimeout({ ctx: w.system(), input: job.payload });
    const moved = await chatOf(chat.id);
    expect(moved.offeredTo).toBe(recent.id);
    expect(moved.passedBy).toEqual([idle.id]);
    expect((await noticesTo(idle)).map((n) => n.event)).toEqual(["offer", "offer_expired"]);
    // The expired offer's operator is too late now.
    expect(await outcome(acceptLive({ ctx: w.ctx(idle), input: { chatId: chat.id } }))).toBe("CONFLICT");

    const accepted = await acceptLive({ ctx: w.ctx(recent), input: { chatId: chat.id } });
    expect(accepted.state).toBe("active");
    const [assigned] = await w.db.select().from(tickets).where(eq(tickets.id, chat.ticketId));
    expect(assigned.assigneeId).toBe(recent.id);
    expect(assigned.status).toBe("in_progress");
    expect((await noticesTo(requester)).map((n) => n.event)).toEqual(["connected"]);
  });

  it("never offers a category outside the skills; declined with nobody else able, it comes back to the one who passed", async () => {
    const categoryId = await w.categoryId();
    const other = await w.categoryId("software");
    const skilled = await online("agent", { skills: [categoryId] });
    await online("agent", { skills: [other] });
    const requester = await w.user("requester");
    const r = await askLive({ ctx: w.ctx(requester), input: { categoryId } });
    if (r.outcome === "closed_hours") throw new Error("closed");
    expect(r.chat.offeredTo).toBe(skilled.id);
    const declined = await declineLive({ ctx: w.ctx(skilled), input: { chatId: r.chat.id } });
    // Nobody else has the skill: it comes back to the one who passed, rather than waiting forever.
    expect(declined.state).toBe("offered");
    expect(declined.offeredTo).toBe(skilled.id);
  });
});

describe("the queue", () => {
  it("keeps strict order, tells positions by editing one message, and moves people up as others leave", async () => {
    const agent = await online("agent", { liveCapacity: 1 });
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await w.user("requester"));
    const chats = [];
    for (const p of people) chats.push(await ask(p));
    expect(chats.map((c) => c.state)).toEqual(["offered", "queued", "queued", "queued"]);
    expect(chats.slice(1).map((c) => c.lastPosition)).toEqual([1, 2, 3]);
    // Asking again is the same chat, not a second place in the queue.
    const again = await askLive({ ctx: w.ctx(people[2]), input: {} });
    expect(again.outcome).toBe("existing");

    await leaveLiveQueue({ ctx: w.ctx(people[1]), input: { chatId: chats[1].id } });
    expect((await chatOf(chats[1].id)).state).toBe("abandoned");
    const [closed] = await w.db.select().from(tickets).where(eq(tickets.id, chats[1].ticketId));
    expect(closed.status).toBe("closed");
    const third = await noticesTo(people[2]);
    expect(third.map((n) => [n.event, n.position])).toEqual([
      ["queued", 2],
      ["position", 1],
    ]);
    expect(third[1].editOf).toBe(third[0].id);
    // Someone else cannot take another's place out of the queue.
    expect(await outcome(leaveLiveQueue({ ctx: w.ctx(people[3]), input: { chatId: chats[2].id } }))).toBe(
      "NOT_FOUND",
    );

    await acceptLive({ ctx: w.ctx(agent), input: { chatId: chats[0].id } });
    // Full: nothing more is offered until the chat ends.
    expect((await chatOf(chats[2].id)).state).toBe("queued");
    await endLive({ ctx: w.ctx(agent), input: { chatId: chats[0].id } });
    expect((await chatOf(chats[2].id)).offeredTo).toBe(agent.id);
    expect((await chatOf(chats[3].id)).lastPosition).toBe(1);
    const [resolved] = await w.db.select().from(tickets).where(eq(tickets.id, chats[0].ticketId));
    expect(resolved.status).toBe("resolved");
  });

  it("edits the first three places at every move, places further back at most every 30 s", async () => {
    await online("agent", { liveCapacity: 1 });
    const people = [];
    for (let i = 0; i < 6; i++) people.push(await w.user("requester"));
    const chats = [];
    for (const p of people) chats.push(await ask(p));
    // chats[0] is offered; the others wait at places 1..5.
    await leaveLiveQueue({ ctx: w.ctx(people[1]), input: { chatId: chats[1].id } });
    expect((await chatOf(chats[2].id)).lastPosition).toBe(1);
    expect((await chatOf(chats[4].id)).lastPosition).toBe(3);
    // Place 5 → 4 was not told yet: it heard of its place moments ago.
    expect((await chatOf(chats[5].id)).lastPosition).toBe(5);
    w.clock.set(new Date(w.clock.now().getTime() + 31_000));
    await leaveLiveQueue({ ctx: w.ctx(people[2]), input: { chatId: chats[2].id } });
    expect((await chatOf(chats[5].id)).lastPosition).toBe(3);
    expect((await noticesTo(people[5])).map((n) => n.position)).toEqual([5, 3]);
  });

  it("drops a chat's unsent position edits when it is offered, and sends its conversation in the live lane", async () => {
    const agent = await online("agent", { liveCapacity: 1 });
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await w.user("requester"));
    const chats = [];
    for (const p of people) chats.push(await ask(p));
    await leaveLiveQueue({ ctx: w.ctx(people[1]), input: { chatId: chats[1].id } });
    // people[2] moved from place 2 to 1: an edit of their position message, not sent yet.
    expect((await noticesTo(people[2])).map((n) => n.event)).toEqual(["queued", "position"]);

    await acceptLive({ ctx: w.ctx(agent), input: { chatId: chats[0].id } });
    await endLive({ ctx: w.ctx(agent), input: { chatId: chats[0].id } });
    expect((await chatOf(chats[2].id)).offeredTo).toBe(agent.id);
    // Offered: the outdated edit is gone (it would only delay what follows), the first message stays,
    // and the place is told afresh should the offer come back to the queue.
    expect((await noticesTo(people[2])).map((n) => n.event)).toEqual(["queued"]);
    expect((await chatOf(chats[2].id)).lastPosition).toBeNull();

    // The queue's notices wait in the ordinary lane; the offer and "connected" ride the live lane.
    const lane = async (u: User) => {
      const rows = await w.db
        .select({
          event: sql<string>`${notifications.payload}->'change'->>'event'`,
          live: sql<boolean>`${notifications.payload} ? 'live'`,
        })
        .from(notifications)
        .where(
          and(eq(notifications.recipientId, u.id), sql`${notifications.payload}->'change'->>'kind' = 'live'`),
        )
        .orderBy(notifications.seq);
      return rows.map((r) => `${r.event}:${r.live ? "live" : "queue"}`);
    };
    expect(await lane(people[2])).toEqual(["queued:queue"]);
    await acceptLive({ ctx: w.ctx(agent), input: { chatId: chats[2].id } });
    expect(await lane(people[2])).toEqual(["queued:queue", "connected:live"]);
    expect((await lane(agent)).filter((e) => e.startsWith("offer"))).toEqual(["offer:live", "offer:live"]);
  });

  it("offers chats asked at the same moment in the order of their queued times", async () => {
    const agent = await online("agent", { liveCapacity: 1 });
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await w.user("requester"));
    const asked = await Promise.all(people.map((p) => ask(p)));
    const offeredOrder: string[] = [];
    for (let i = 0; i < asked.length; i++) {
      const [offered] = await w.db
        .select()
        .from(liveChats)
        .where(and(eq(liveChats.state, "offered"), eq(liveChats.offeredTo, agent.id)));
      offeredOrder.push(offered.id);
      await acceptLive({ ctx: w.ctx(agent), input: { chatId: offered.id } });
      await endLive({ ctx: w.ctx(agent), input: { chatId: offered.id } });
    }
    const rows = await w.db
      .select()
      .from(liveChats)
      .where(
        inArray(
          liveChats.id,
          asked.map((c) => c.id),
        ),
      );
    const byQueue = [...rows]
      .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || a.id.localeCompare(b.id))
      .map((c) => c.id);
    expect(offeredOrder).toEqual(byQueue);
  });

  it("answers outside business hours without queueing anyone", async () => {
    const [cal] = await w.db
      .insert(businessCalendars)
      .values({ name: "never", timeZone: "UTC", week: {} })
      .returning();
    await online();
    const requester = await w.user("requester");
    const r = await askLive({ ctx: w.ctx(requester), input: {} });
    expect(r.outcome).toBe("closed_hours");
    expect(await w.db.select().from(liveChats).where(eq(liveChats.requesterId, requester.id))).toEqual([]);
    await w.db.delete(businessCalendars).where(eq(businessCalendars.id, cal.id));
  });
});

describe("ending, transfer, take over", () => {
  it("lets the requester end, tells the operator, and frees their place", async () => {
    const agent = await online();
    const requester = await w.user("requester");
    const chat = await ask(requester);
    await acceptLive({ ctx: w.ctx(agent), input: { chatId: chat.id } });
    const stranger = await w.user("requester");
    expect(await outcome(endLive({ ctx: w.ctx(stranger), input: { chatId: chat.id } }))).toBe("NOT_FOUND");
    const ended = await endLive({ ctx: w.ctx(requester), input: { chatId: chat.id } });
    expect(ended.state).toBe("ended");
    expect((await noticesTo(agent)).at(-1)?.event).toBe("ended");
    expect((await noticesTo(requester)).at(-1)?.event).toBe("ended");
    expect(await outcome(endLive({ ctx: w.ctx(agent), input: { chatId: chat.id } }))).toBe("CONFLICT");
  });

  it("lets supervisors transfer and take over; agents only hand on their own", async () => {
    const agent = await online();
    const colleague = await w.user("agent");
    const moderator = await w.user("moderator");
    const requester = await w.user("requester");
    const chat = await ask(requester);
    await acceptLive({ ctx: w.ctx(agent), input: { chatId: chat.id } });
    expect(await outcome(takeOverLive({ ctx: w.ctx(colleague), input: { chatId: chat.id } }))).toBe(
      "FORBIDDEN",
    );
    expect(
      await outcome(
        transferLive({ ctx: w.ctx(colleague), input: { chatId: chat.id, operatorId: colleague.id } }),
      ),
    ).toBe("FORBIDDEN");
    const moved = await transferLive({
      ctx: w.ctx(agent),
      input: { chatId: chat.id, operatorId: colleague.id },
    });
    expect(moved.operatorId).toBe(colleague.id);
    expect((await noticesTo(colleague)).map((n) => n.event)).toEqual(["transferred_in"]);
    const taken = await takeOverLive({ ctx: w.ctx(moderator), input: { chatId: chat.id } });
    expect(taken.operatorId).toBe(moderator.id);
    expect((await noticesTo(colleague)).map((n) => n.event)).toEqual(["transferred_in", "transferred_out"]);
    const [ticket] = await w.db.select().from(tickets).where(eq(tickets.id, chat.ticketId));
    expect(ticket.assigneeId).toBe(moderator.id);
    const board = await liveBoard({ ctx: w.ctx(moderator) });
    expect(board.chats.map((c) => c.id)).toContain(chat.id);
    expect(await outcome(liveBoard({ ctx: w.ctx(requester) }))).toBe("FORBIDDEN");
  });
});
