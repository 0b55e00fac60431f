import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { reserve, rowsOf, settleReservation } from "../../server/domain/delivery/budget.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";

const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

/** The database's clock now, in ms. */
const dbNow = async () =>
  Number(
    rowsOf<{ ms: number }>(
      await w.db.execute(sql`select extract(epoch from clock_timestamp()) * 1000 as ms`),
    )[0].ms,
  );
const doneAt = async (id: number) =>
  Number(
    rowsOf<{ ms: number }>(
      await w.db.execute(
        sql`select extract(epoch from done_at) * 1000 as ms from bot_calls where id = ${id}`,
      ),
    )[0].ms,
  );

describe("a call's place in Telegram's windows", () => {
  it("counts from Telegram's answer even when it is recorded later, never from before the answer", async () => {
    const id = (await reserve(w.db, [{ chatId: 93_000_001, calls: 1 }])).get(93_000_001) as number;
    const before = await dbNow();
    const answeredAt = performance.now();
    // The ledger's write and the row's update come between the answer and the record.
    await new Promise((r) => setTimeout(r, 300));
    await settleReservation(w.db, id, answeredAt);
    const dated = await doneAt(id);
    expect(dated).toBeGreaterThanOrEqual(before);
    expect(dated - before).toBeLessThan(200);
  });

  it("counts from the record when the answer's moment is not known", async () => {
    const id = (await reserve(w.db, [{ chatId: 93_000_002, calls: 1 }])).get(93_000_002) as number;
    const before = await dbNow();
    await new Promise((r) => setTimeout(r, 300));
    await settleReservation(w.db, id);
    expect((await doneAt(id)) - before).toBeGreaterThanOrEqual(290);
  });
});
