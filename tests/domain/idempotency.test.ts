import { beforeAll, describe, expect, it } from "vitest";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
} from "../../server/domain/index.js";
import { outcome, setupTestWorld, type World } from "../helpers/fixtures.js";

/** The idempotency rule on its own: one claim per (user, key), its answer kept for 24 hours. */
const world = setupTestWorld();
let w: World;
beforeAll(() => {
  w = world();
});

const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);
let seq = 0;
const request = (hash = HASH_A) => ({ key: `domain-key-${seq++}`, route: "POST /api/x", requestHash: hash });

describe("claimIdempotencyKey", () => {
  it("lets the first claim write, makes the next wait, then replays the kept answer", async () => {
    const ctx = w.ctx(await w.user("agent"));
    const input = request();
    expect(await claimIdempotencyKey({ ctx, input })).toEqual({ state: "claimed" });
    expect(await claimIdempotencyKey({ ctx, input })).toEqual({ state: "running" });
    await completeIdempotencyKey({ ctx, input: { key: input.key, status: 201, body: { id: "t-1" } } });
    expect(await claimIdempotencyKey({ ctx, input })).toEqual({
      state: "done",
      status: 201,
      body: { id: "t-1" },
    });
  });

  it("gives exactly one of many racing claims the right to write", async () => {
    const ctx = w.ctx(await w.user("requester"));
    const input = request();
    const claims = await Promise.all(Array.from({ length: 5 }, () => claimIdempotencyKey({ ctx, input })));
    expect(claims.filter((c) => c.state === "claimed")).toHaveLength(1);
  });

  it("refuses the key for another request, and keeps keys apart per user", async () => {
    const ctx = w.ctx(await w.user("agent"));
    const input = request();
    await claimIdempotencyKey({ ctx, input });
    const reused = claimIdempotencyKey({ ctx, input: { ...input, requestHash: HASH_B } });
    await expect(reused).rejects.toMatchObject({
      code: "VALIDATION",
      details: { reason: "idempotency_key_reused" },
    });
    expect(await outcome(claimIdempotencyKey({ ctx, input: { ...input, route: "POST /api/y" } }))).toBe(
      "VALIDATION",
    );
    const someoneElse = w.ctx(await w.user("agent"));
    expect(await claimIdempotencyKey({ ctx: someoneElse, input: { ...input, requestHash: HASH_B } })).toEqual(
      {
        state: "claimed",
      },
    );
  });

  it("frees a released key (the write was refused) and an answer older than 24 hours", async () => {
    const ctx = w.ctx(await w.user("agent"));
    const released = request();
    await claimIdempotencyKey({ ctx, input: released });
    await releaseIdempotencyKey({ ctx, input: { key: released.key } });
    expect(await claimIdempotencyKey({ ctx, input: { ...released, requestHash: HASH_B } })).toEqual({
      state: "claimed",
    });

    const old = request();
    await claimIdempotencyKey({ ctx, input: old });
    await completeIdempotencyKey({ ctx, input: { key: old.key, status: 200, body: {} } });
    w.clock.set(new Date(w.clock.now().getTime() + 24 * 60 * 60 * 1000 + 1000));
    expect(await claimIdempotencyKey({ ctx, input: { ...old, requestHash: HASH_B } })).toEqual({
      state: "claimed",
    });
  });

  it("takes over a claim whose request never finished (its process died) after two minutes, not before", async () => {
    const ctx = w.ctx(await w.user("agent"));
    const orphan = request();
    await claimIdempotencyKey({ ctx, input: orphan });
    w.clock.set(new Date(w.clock.now().getTime() + 60_000));
    expect(await claimIdempotencyKey({ ctx, input: orphan })).toEqual({ state: "running" });
    w.clock.set(new Date(w.clock.now().getTime() + 61_000));
    expect(await claimIdempotencyKey({ ctx, input: orphan })).toEqual({ state: "claimed" });
  });

  it("is for signed-in people only, and checks the key's shape", async () => {
    expect(await outcome(claimIdempotencyKey({ ctx: w.system(), input: request() }))).toBe("UNAUTHENTICATED");
    const ctx = w.ctx(await w.user("requester"));
    for (const key of ["short", "has spaces in it", "x".repeat(201)])
      expect(await outcome(claimIdempotencyKey({ ctx, input: { ...request(), key } })), key).toBe(
        "VALIDATION",
      );
  });
});
