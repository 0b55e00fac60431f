import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { branches, deliveryChats, notifications } from "../../drizzle/schema/index.js";
import { DELIVERY_LAG_WARN_SECONDS, deliveryBacklog } from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

/** deliveryBacklog on a real database: what an admin sees of the outbox falling behind. */
const MAIN_STAFF = -1001000; // the world's STAFF_CHAT_ID
const world = setupTestWorld({ staffChatId: MAIN_STAFF });
let w: World;
beforeAll(() => {
  w = world();
});

let key = 0;
/** A row written `ageS` seconds ago by the database's clock, as the outbox stamps them. */
const queue = (chatId: number, ageS: number, state: "pending" | "sending" | "sent" | "failed" = "pending") =>
  w.db.insert(notifications).values({
    chatId,
    type: "system",
    state,
    idempotencyKey: `backlog-${key++}`,
    createdAt: sql`now() - make_interval(secs => ${ageS})`,
  });

describe("deliveryBacklog", () => {
  it("is for admins and owners only", async () => {
    for (const role of ["requester", "agent", "moderator", "auditor"] as const)
      expect(await outcome(deliveryBacklog({ ctx: w.ctx(await w.user(role)) }))).toBe("FORBIDDEN");
    expect(await deliveryBacklog({ ctx: w.ctx(await w.user("owner")) })).toEqual([]);
  });

  it("lists each chat with queued rows, worst lag first, named and with its pause", async () => {
    const admin = w.ctx(await w.user("admin"));
    const person = await w.user("requester", { firstName: "Parisa", lastName: "Ahmadi", username: "pa" });
    const north = await w.branch("north");
    await w.db.update(branches).set({ staffChatId: -100222 }).where(eq(branches.id, north.id));

    // The person's chat: 10 min behind, 3 rows (one in flight); sent and failed rows do not count.
    await queue(person.telegramId, 600);
    await queue(person.telegramId, 30, "sending");
    await queue(person.telegramId, 5);
    await queue(person.telegramId, 9_000, "sent");
    await queue(person.telegramId, 9_000, "failed");
    // A branch's staff chat: 3 min behind, paused by a 429 for another minute.
    await queue(-100222, 180);
    await w.db
      .update(deliveryChats)
      .set({ pausedUntil: sql`now() + interval '1 minute'` })
      .where(eq(deliveryChats.chatId, -100222));
    // The main staff chat: just written, keeping up; a pause that already ended is not shown.
    await queue(MAIN_STAFF, 1);
    await w.db
      .update(deliveryChats)
      .set({ pausedUntil: sql`now() - interval '1 minute'` })
      .where(eq(deliveryChats.chatId, MAIN_STAFF));
    // A chat nobody is known by: a stranger's private chat.
    await queue(777_001, 60);

    const list = await deliveryBacklog({ ctx: admin });
    expect(list.map((c) => c.chatId)).toEqual([person.telegramId, -100222, 777_001, MAIN_STAFF]);
    const [mine, group, stranger, main] = list;
    expect(mine).toMatchObject({
      isGroup: false,
      queued: 3,
      behind: true,
      pausedUntil: null,
      user: { id: person.id, firstName: "Parisa", lastName: "Ahmadi", username: "pa" },
      branch: null,
      mainStaffChat: false,
    });
    expect(mine.lagSeconds).toBeGreaterThanOrEqual(600);
    expect(mine.lagSeconds).toBeLessThan(660);
    expect(group).toMatchObject({ isGroup: true, queued: 1, behind: true, user: null, mainStaffChat: false });
    expect(group.branch).toEqual({ id: north.id, name: north.name });
    expect(group.pausedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(group.lagSeconds).toBeGreaterThanOrEqual(DELIVERY_LAG_WARN_SECONDS);
    expect(stranger).toMatchObject({ isGroup: false, queued: 1, behind: false, user: null, branch: null });
    expect(main).toMatchObject({ isGroup: true, behind: false, pausedUntil: null, mainStaffChat: true });
    expect(main.lagSeconds).toBeLessThan(DELIVERY_LAG_WARN_SECONDS);

    // The doctor's question: only the chats past the threshold, and as many as asked for.
    const behind = await deliveryBacklog({ ctx: admin, input: { minLagSeconds: DELIVERY_LAG_WARN_SECONDS } });
    expect(behind.map((c) => c.chatId)).toEqual([person.telegramId, -100222]);
    const one = await deliveryBacklog({ ctx: admin, input: { limit: "1" } });
    expect(one.map((c) => c.chatId)).toEqual([person.telegramId]);

    // Delivered: the chat leaves the list.
    await w.db
      .update(notifications)
      .set({ state: "sent" })
      .where(eq(notifications.chatId, person.telegramId));
    expect((await deliveryBacklog({ ctx: admin })).map((c) => c.chatId)).not.toContain(person.telegramId);
  });

  it("refuses a bad query with VALIDATION", async () => {
    const admin = w.ctx(await w.user("admin"));
    for (const input of [{ limit: 0 }, { limit: 1000 }, { minLagSeconds: -1 }, { limit: "many" }])
      expect(await outcome(deliveryBacklog({ ctx: admin, input }))).toBe("VALIDATION");
  });
});
