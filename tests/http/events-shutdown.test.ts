import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * Shutdown with Mini Apps connected: an event stream never ends by itself, so the
 * HTTP server's close (which waits for open requests) would hang until the forced
 * exit. Found by `npm run deploy:check` (SIGTERM to one instance behind nginx with a
 * stream open: exit 1 after 10 s). Here over a real socket, as a proxy connects.
 */
const closing = new AbortController();
const world = setupTestWorld();
const api = setupApi(world, { closing: closing.signal });
const PORT = 4203;
let server: ServerType;

beforeAll(async () => {
  server = serve({ fetch: api().app.fetch, port: PORT, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
});
afterAll(() => {
  server.close();
});

describe("shutting down with an event stream open", () => {
  it("ends the stream, so the server closes without waiting for the heartbeat", async () => {
    const agent = await api().login(930_001, "en");
    const res = await fetch(
      `http://127.0.0.1:${PORT}/api/events?access_token=${encodeURIComponent(agent.accessToken)}`,
    );
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("event: ready");

    const started = Date.now();
    closing.abort();
    const closed = new Promise<number>((resolve) => server.close(() => resolve(Date.now() - started)));
    let done = false;
    while (!done) done = (await reader.read()).done;
    const ended = Date.now() - started;
    // The stream's connection is now idle keep-alive: closed as main.ts's shutdown does.
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    // The heartbeat is 25 s: without the end at shutdown, the stream would still be open.
    expect(ended).toBeLessThan(5_000);
    expect(await closed).toBeLessThan(5_000);
  });
});
