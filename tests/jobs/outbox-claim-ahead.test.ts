import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../drizzle/client.js";
import { notifications } from "../../drizzle/schema/index.js";
import { rowsOf } from "../../server/domain/delivery/budget.js";
import { createTicket } from "../../server/domain/index.js";
import { claimDue } from "../../server/jobs/outbox/claim.js";
import { CLAIM_AHEAD_MS } from "../../server/jobs/outbox/global-places.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

/**
 * A claim while the bot-wide window is full takes the places that free within
 * the look-ahead (docs/NOTIFICATIONS.md, "Places taken a little ahead"): the
 * post is claimed now and told to wait until its place is free.
 */
const world = setupTestWorld({ staffChatId: null });
let w: World;
let ticketId: string;
beforeAll(async () => {
  w = world();
  const requester = await w.user("requester");
  ticketId = (
    await createTicket({
      ctx: w.system(),
      input: { title: "A full window", categoryId: await w.categoryId(), requesterId: requester.id },
    })
  ).id;
});

/**
 * One claim, rolled back, so each case starts from the same window; first the
 * window as Telegram's answers left it: `calls` answered `agoMs` ago, to other
 * chats. Both in one transaction, so `now()` is one instant for the rows and the
 * claim: a slow machine does not move the place that frees.
 */
async function claimOnce(...answered: Array<[calls: number, agoMs: number]>) {
  let result: Awaited<ReturnType<typeof claimDue>> | undefined;
  await w.db
    .transaction(async (tx) => {
      for (const [calls, agoMs] of answered)
        await tx.execute(sql`insert into bot_calls (chat_id, calls, expires_at, done_at)
          select 95000000 + g, 1, now(), now() - (${agoMs} * interval '1 millisecond') from generate_series(1, ${calls}) g`);
      result = await claimDue(tx as unknown as Db, 30);
      throw new Error("rolled back");
    })
    .catch(() => {});
  return result as Awaited<ReturnType<typeof claimDue>>;
}

describe("a claim while Telegram's bot-wide window is full", () => {
  it("takes the place that frees within the look-ahead and says how long to wait", async () => {
    await w.db.insert(notifications).values(
      Array.from({ length: 3 }, (_, i) => ({
        chatId: 7_300_000 + i,
        ticketId,
        type: "system" as const,
        idempotencyKey: `ahead-${i}`,
      })),
    );
    // 29 answered just now, one 980 ms ago: its place frees in about 20 ms.
    const claim = await claimOnce([29, 0], [1, 1000 - 20]);
    expect(claim.posts).toHaveLength(1);
    expect(claim.posts[0].notBeforeMs).toBeGreaterThan(0);
    expect(claim.posts[0].notBeforeMs).toBeLessThanOrEqual(CLAIM_AHEAD_MS);

    // A place freeing later than the look-ahead is not taken: the claim says when to look again.
    const later = await claimOnce([29, 0], [1, 1000 - 400]);
    expect(later.posts).toHaveLength(0);
    expect(later.soonestMs).toBeGreaterThan(300);
    expect(later.soonestMs).toBeLessThanOrEqual(400);
  });
});

describe("a claim's commit", () => {
  it("does not wait for the disk (the ledger's intent, written before any call, flushes it)", async () => {
    let setting: string | undefined;
    await w.db
      .transaction(async (tx) => {
        await claimDue(tx as unknown as Db, 30);
        [{ s: setting }] = rowsOf<{ s: string }>(
          await tx.execute(sql`select current_setting('synchronous_commit') as s`),
        );
        throw new Error("rolled back");
      })
      .catch(() => {});
    expect(setting).toBe("off");
  });
});

describe("a post of more calls than the window has free", () => {
  it("waits until all its places are free, and the chats behind it wait with it", async () => {
    await w.db.delete(notifications);
    // First in line: a staff group's post about a ticket, two calls (its card edit and itself).
    await w.db.insert(notifications).values({
      chatId: -1_007_300_000,
      ticketId,
      type: "system",
      idempotencyKey: "two-calls",
    });
    await new Promise((r) => setTimeout(r, 20));
    await w.db
      .insert(notifications)
      .values({ chatId: 7_300_100, ticketId, type: "system", idempotencyKey: "one-call" });

    // One place free. Before, the first post of a round went with it, and its second
    // call went past Telegram's 30 a second; the post of one call behind it did not wait.
    const short = await claimOnce([29, 0]);
    expect(short.posts).toHaveLength(0);
    expect(short.soonestMs).toBeGreaterThan(0);

    const room = await claimOnce([28, 0]);
    expect(room.posts.map((p) => [p.head.chatId, p.calls])).toEqual([[-1_007_300_000, 2]]);
  });
});
