import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { BotContext } from "../../bot/context.js";
import { botMetrics } from "../../bot/middlewares/metrics.js";
import { notifications } from "../../drizzle/schema/index.js";
import { DeliveryError } from "../../server/domain/delivery/port.js";
import { scheduleJob } from "../../server/domain/index.js";
import { createOutboxWorker } from "../../server/jobs/outbox/worker.js";
import { createScheduler } from "../../server/jobs/scheduler/worker.js";
import { createMetrics } from "../../server/metrics/registry.js";
import { setupTestWorld } from "../helpers/fixtures.js";
import { setupApi } from "./http-harness.js";

/**
 * GET /metrics: who may read it (a bearer token when METRICS_TOKEN is set, else only
 * loopback clients no proxy forwarded), and that the counters move with what happens.
 */
const world = setupTestWorld();
let metrics: ReturnType<typeof createMetrics>;
const open = setupApi(world, {
  get metrics() {
    metrics ??= createMetrics({ db: world().db, driver: "pglite" });
    return { metrics };
  },
});
const guarded = setupApi(world, {
  get metrics() {
    return { metrics: createMetrics(), token: "a-metrics-token-of-some-length" };
  },
});

const loopback = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
const remote = { incoming: { socket: { remoteAddress: "203.0.113.7" } } };
async function scrape(): Promise<string> {
  const res = await open().app.request("/metrics", {}, loopback);
  expect(res.status).toBe(200);
  return res.text();
}
/** The sample's value, 0 when the series does not exist yet. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("GET /metrics access", () => {
  it("without METRICS_TOKEN answers loopback clients only, and not through a proxy", async () => {
    const app = open().app;
    expect((await app.request("/metrics", {}, loopback)).status).toBe(200);
    expect(
      (await app.request("/metrics", {}, { incoming: { socket: { remoteAddress: "::1" } } })).status,
    ).toBe(200);
    expect((await app.request("/metrics", {}, remote)).status).toBe(403);
    // A reverse proxy on this host connects from 127.0.0.1 for anyone.
    const proxied = await app.request(
      "/metrics",
      { headers: { "x-forwarded-for": "203.0.113.7" } },
      loopback,
    );
    expect(proxied.status).toBe(403);
    // No socket at all (app.request without an env): refused.
    expect((await app.request("/metrics")).status).toBe(403);
  });

  it("with METRICS_TOKEN wants the bearer token, from anywhere", async () => {
    const app = guarded().app;
    expect((await app.request("/metrics", {}, loopback)).status).toBe(401);
    const wrong = await app.request("/metrics", { headers: { authorization: "Bearer nope" } }, remote);
    expect(wrong.status).toBe(401);
    const ok = await app.request(
      "/metrics",
      { headers: { authorization: "Bearer a-metrics-token-of-some-length" } },
      remote,
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    expect(await ok.text()).toContain("helpdesk_http_requests_total");
  });
});

describe("the counters move", () => {
  it("counts HTTP requests by route pattern, not by path", async () => {
    const { accessToken } = await open().login(961_001);
    for (const id of ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"])
      expect((await open().call(accessToken, "GET", `/api/tickets/${id}`)).status).toBe(404);
    // No route: labelled "unmatched", whatever the path (a scan cannot grow the label set).
    expect((await open().call(accessToken, "GET", "/api/no/such/thing")).status).toBe(404);
    const text = await scrape();
    expect(
      sample(text, 'helpdesk_http_requests_total{method="GET",route="/api/tickets/:id",status="404"}'),
    ).toBe(2);
    expect(text).not.toContain("00000000-0000-4000-8000-000000000001");
    expect(
      sample(text, 'helpdesk_http_requests_total{method="POST",route="/api/auth/telegram",status="200"}'),
    ).toBe(1);
    expect(text).toMatch(/helpdesk_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(
      /helpdesk_http_request_duration_seconds_count\{method="GET",route="\/api\/tickets\/:id"\} 2/,
    );
  });

  it("reads the outbox depth and age on scrape, and counts deliveries by outcome", async () => {
    const w = world();
    const before = await scrape();
    expect(sample(before, "helpdesk_outbox_depth")).toBe(0);
    // Three chats: one that Telegram answers, one that blocked the bot, one that says 429.
    const chats = { sent: 962_001, blocked: 962_002, rate_limited: 962_003 };
    for (const [name, chatId] of Object.entries(chats))
      await w.db.insert(notifications).values({ chatId, type: "system", idempotencyKey: `metrics-${name}` });
    const queued = await scrape();
    expect(sample(queued, "helpdesk_outbox_depth")).toBe(3);
    expect(sample(queued, "helpdesk_outbox_oldest_age_seconds")).toBeGreaterThanOrEqual(0);

    const worker = createOutboxWorker({
      db: w.db,
      logger: pino({ level: "silent" }),
      metrics: metrics.port,
      deliver: async (n) => {
        if (n.chatId === chats.blocked)
          throw new DeliveryError("blocked", "403: bot was blocked by the user");
        if (n.chatId === chats.rate_limited) throw new DeliveryError("rate_limited", "429", 30);
        return { sentMessageId: 1 };
      },
    });
    await worker.drainOnce();
    const after = await scrape();
    expect(sample(after, 'helpdesk_deliveries_total{outcome="sent"}')).toBe(1);
    expect(sample(after, 'helpdesk_deliveries_total{outcome="blocked"}')).toBe(1);
    expect(sample(after, 'helpdesk_deliveries_total{outcome="rate_limited"}')).toBe(1);
    // The 429'd row waits (its chat paused); the others left the queue.
    expect(sample(after, "helpdesk_outbox_depth")).toBe(1);
    expect(sample(after, "helpdesk_outbox_paused_chats")).toBe(1);
    await w.db.delete(notifications);
  });

  it("counts scheduled jobs by kind and outcome", async () => {
    const w = world();
    const runAt = new Date(w.clock.now().getTime() - 1000);
    await scheduleJob(w.db, { kind: "auto_close", key: "metrics-ok", runAt });
    await scheduleJob(w.db, { kind: "automation", key: "metrics-fail", runAt });
    const scheduler = createScheduler({
      db: w.db,
      clock: w.clock,
      system: () => w.system(),
      logger: pino({ level: "silent" }),
      metrics: metrics.port,
      handlers: {
        auto_close: async () => {},
        automation: async () => {
          throw new Error("boom");
        },
      },
    });
    await scheduler.runDue();
    const text = await scrape();
    expect(sample(text, 'helpdesk_scheduler_jobs_total{kind="auto_close",outcome="ran"}')).toBe(1);
    expect(sample(text, 'helpdesk_scheduler_jobs_total{kind="automation",outcome="failed"}')).toBe(1);
  });

  it("counts open event streams while they are open", async () => {
    const { accessToken } = await open().login(961_002);
    const res = await open().call(accessToken, "GET", "/api/events");
    const reader = res.body?.getReader();
    await reader?.read();
    expect(sample(await scrape(), "helpdesk_sse_clients")).toBe(1);
    await reader?.cancel();
    await expect.poll(async () => sample(await scrape(), "helpdesk_sse_clients")).toBe(0);
  });

  it("counts bot updates by kind, errors apart", async () => {
    const mw = botMetrics(metrics.port);
    const ctx = (update: object) => ({ update }) as unknown as BotContext;
    await mw(ctx({ update_id: 1, message: { text: "hi" } }), async () => {});
    await mw(ctx({ update_id: 2, callback_query: {} }), async () => {});
    await expect(
      mw(ctx({ update_id: 3, message: {} }), async () => {
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
    await mw(ctx({ update_id: 4, something_new: {} }), async () => {});
    const text = await scrape();
    expect(sample(text, 'helpdesk_bot_updates_total{kind="message",outcome="ok"}')).toBe(1);
    expect(sample(text, 'helpdesk_bot_updates_total{kind="message",outcome="error"}')).toBe(1);
    expect(sample(text, 'helpdesk_bot_updates_total{kind="callback_query",outcome="ok"}')).toBe(1);
    expect(sample(text, 'helpdesk_bot_updates_total{kind="other",outcome="ok"}')).toBe(1);
    expect(sample(text, 'helpdesk_bot_update_duration_seconds_count{kind="message"}')).toBe(2);
  });
});
