import { afterAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../../drizzle/client.js";
import type { ChangeEvent } from "../../server/domain/context.js";
import { createChangeBus } from "../../server/events/bus.js";
import { relayChangesThroughPostgres } from "../../server/events/pg-relay.js";
import { createTestDb, testDriver } from "../helpers/db.js";
import { silentLogger } from "./outbox-harness.js";

describe("change events", () => {
  it("reach every subscriber of the in-process bus, and a failing listener hurts no one", () => {
    const errors: unknown[] = [];
    const bus = createChangeBus((e) => errors.push(e));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error("broken screen");
    });
    const off = bus.subscribe((e) => seen.push(e.ticketId));
    const event: ChangeEvent = {
      type: "ticket.updated",
      ticketId: "t1",
      branchId: null,
      requesterId: "r",
      assigneeId: null,
    };
    bus.changed(event);
    off();
    bus.changed({ ...event, ticketId: "t2" });
    expect(seen).toEqual(["t1"]);
    expect(errors).toHaveLength(2);
  });
});

describe.skipIf(testDriver() !== "postgres")(
  "change events across instances (PostgreSQL LISTEN/NOTIFY)",
  () => {
    const handles: DbHandle[] = [];
    afterAll(async () => {
      for (const h of handles.reverse()) await h.close();
    });

    it("arrive at the other instance once, and are not echoed back", async () => {
      const a = await createTestDb();
      const b = await createDb({ DATA_DIR: "", DATABASE_URL: a.url, maxConnections: 2 });
      handles.push(a, b);
      const busA = createChangeBus();
      const busB = createChangeBus();
      const seenA: string[] = [];
      const seenB: string[] = [];
      busA.subscribe((e) => seenA.push(e.ticketId));
      busB.subscribe((e) => seenB.push(e.ticketId));
      const relayA = await relayChangesThroughPostgres(a.sql!, busA, silentLogger);
      const relayB = await relayChangesThroughPostgres(b.sql!, busB, silentLogger);
      relayA.changed({
        type: "ticket.created",
        ticketId: "from-a",
        branchId: null,
        requesterId: "r",
        assigneeId: null,
      });
      const end = Date.now() + 5000;
      while (seenB.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      expect(seenB).toEqual(["from-a"]);
      expect(seenA).toEqual(["from-a"]);
      await relayA.close();
      await relayB.close();
    });
  },
);
