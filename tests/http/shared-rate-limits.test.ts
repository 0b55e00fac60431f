import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rateBuckets } from "../../drizzle/schema/index.js";
import { sweepRateBuckets } from "../../server/domain/index.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * The HTTP limits are rows of rate_buckets: two app instances on one database
 * (as behind a load balancer) count against the same bucket.
 */
const world = setupTestWorld();
// One token a minute: the test's own pace (a busy machine) refills nothing that matters.
const limits = { auth: { perMinute: 1, burst: 4 } };
const first = setupApi(world, { rateLimits: limits });
const second = setupApi(world, { rateLimits: limits });
let w: World;
beforeAll(() => {
  w = world();
});

const signIn = (app: ReturnType<typeof first>) =>
  app.app.request("/api/auth/telegram", { method: "POST", headers: { authorization: "tma x" } });

describe("rate limits in PostgreSQL", () => {
  it("are shared by two instances: the burst is spent across both, then both answer 429 with Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await signIn(i % 2 === 0 ? first() : second());
      statuses.push(res.status);
      // One token a minute, none left: about a minute to wait.
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(50);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it("refill with time, and old buckets are swept", async () => {
    // A minute ago in the bucket's clock: one token back, the next sign-in passes the limit.
    await w.db.execute(sql`update rate_buckets set updated_at = updated_at - interval '1 minute'`);
    expect((await signIn(first())).status).toBe(401);
    const before = await w.db.select().from(rateBuckets);
    expect(before.length).toBeGreaterThan(0);
    expect(await sweepRateBuckets(w.db)).toBe(0);
    await w.db.execute(sql`update rate_buckets set updated_at = updated_at - interval '2 hours'`);
    expect(await sweepRateBuckets(w.db)).toBe(before.length);
    expect(await w.db.select().from(rateBuckets)).toEqual([]);
  });
});
