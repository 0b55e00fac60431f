import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../drizzle/schema/index.js";
import { createTicket, listFailedNotifications, retryNotification } from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

describe("failed notifications", () => {
  it("are listed for admins only and can be put back in the queue behind newer rows", async () => {
    const admin = await w.user("admin");
    const requester = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Failing", categoryId: await w.categoryId() },
    });
    const [failed] = await w.db
      .insert(notifications)
      .values({
        chatId: 555,
        ticketId: ticket.id,
        type: "system",
        idempotencyKey: "f-1",
        state: "failed",
        attempts: 10,
        lastError: "400 Bad Request: chat not found",
      })
      .returning();
    const [newer] = await w.db
      .insert(notifications)
      .values({ chatId: 555, ticketId: ticket.id, type: "system", idempotencyKey: "f-2" })
      .returning();

    for (const role of ["requester", "agent", "moderator", "auditor"] as const) {
      const someone = await w.user(role);
      expect(await outcome(listFailedNotifications({ ctx: w.ctx(someone) }))).toBe("FORBIDDEN");
      expect(
        await outcome(retryNotification({ ctx: w.ctx(someone), input: { notificationId: failed.id } })),
      ).toBe("FORBIDDEN");
    }
    const list = await listFailedNotifications({ ctx: w.ctx(admin) });
    expect(list.map((n) => n.id)).toContain(failed.id);
    expect(list.find((n) => n.id === failed.id)?.lastError).toContain("chat not found");

    const retried = await retryNotification({ ctx: w.ctx(admin), input: { notificationId: failed.id } });
    expect(retried).toMatchObject({ state: "pending", attempts: 0 });
    expect(retried.seq).toBeGreaterThan(newer.seq);
    expect(await outcome(retryNotification({ ctx: w.ctx(admin), input: { notificationId: newer.id } }))).toBe(
      "NOT_FOUND",
    );
    const [after] = await w.db.select().from(notifications).where(eq(notifications.id, failed.id));
    expect(after.state).toBe("pending");
  });

  it("puts back a failed post with the rows it carried, once, when two admins retry two of them at once", async () => {
    const admin = await w.user("admin");
    const other = await w.user("admin");
    const requester = await w.user("requester");
    const ticket = await createTicket({
      ctx: w.ctx(requester),
      input: { title: "Merged and failed", categoryId: await w.categoryId() },
    });
    const failed = {
      chatId: 556,
      ticketId: ticket.id,
      type: "new_message" as const,
      state: "failed" as const,
    };
    const [head] = await w.db
      .insert(notifications)
      .values({ ...failed, idempotencyKey: "m-0", payload: { batch: "merged" } })
      .returning();
    const carried = await w.db
      .insert(notifications)
      .values([1, 2].map((i) => ({ ...failed, idempotencyKey: `m-${i}`, carriedBy: head.id })))
      .returning();
    const results = await Promise.all(
      carried.map((row, i) =>
        outcome(
          retryNotification({ ctx: w.ctx(i === 0 ? admin : other), input: { notificationId: row.id } }),
        ),
      ),
    );
    // One of them puts the whole post back; the other finds its row queued already.
    expect(results.sort()).toEqual(["NOT_FOUND", "ok"]);
    const rows = await w.db.select().from(notifications).where(eq(notifications.chatId, 556));
    expect(rows.map((r) => r.state)).toEqual(["pending", "pending", "pending"]);
    const seqOf = (id: string) => rows.find((r) => r.id === id)?.seq ?? 0;
    // The post's row first, then its rows in their order.
    expect(seqOf(head.id)).toBeLessThan(seqOf(carried[0].id));
    expect(seqOf(carried[0].id)).toBeLessThan(seqOf(carried[1].id));
  });
});
