import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDriver } from "../helpers/db.js";
import { setupTestWorld, type World } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * PGlite runs one statement at a time. A person's request in the Mini App goes before
 * the background work queued ahead of it (drizzle/first-in-line.ts): it waits for the
 * statement that runs, not for the queue. PostgreSQL serves connections side by side.
 */
const world = setupTestWorld();
const api = setupApi(world);
let w: World;
let token: string;

beforeAll(async () => {
  w = world();
  token = (await api().login(7_401, "en")).accessToken;
});

describe.skipIf(testDriver() !== "pglite")("a request of the HTTP API on PGlite", () => {
  it("is answered before the background work queued ahead of it", async () => {
    const finished: string[] = [];
    // Twenty statements of about 30 ms each, as the outbox or a burst of bot updates queue them.
    const background = Array.from({ length: 20 }, (_, i) =>
      w.db.execute(sql`select pg_sleep(0.03)`).then(() => finished.push(`background ${i}`)),
    );
    const answer = api()
      .call(token, "GET", "/api/tickets")
      .then((res) => {
        finished.push("request");
        return res.status;
      });
    expect(await answer).toBe(200);
    await Promise.all(background);
    // The request's statements (sign-in check, the queue) each waited for one running
    // statement at most; in turn behind the queue it would have finished last.
    expect(finished.indexOf("request")).toBeLessThan(background.length / 2);
  });
});
