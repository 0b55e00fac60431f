import { sql } from "drizzle-orm";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../../drizzle/client.js";
import type { MetricsPort } from "../domain/index.js";

export interface Metrics {
  port: MetricsPort;
  registry: Registry;
  /** The exposition text and its content type, for GET /metrics. */
  render(): Promise<{ body: string; contentType: string }>;
}

export interface MetricsOptions {
  /** Read on each scrape for the outbox gauges (and the connections, on PostgreSQL). */
  db?: Db;
  driver?: "pglite" | "postgres";
  /** Node's own metrics (heap, event loop lag, CPU); off in tests, where many registries live. */
  processMetrics?: boolean;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The product's metrics in one registry per process (no prom-client global: tests
 * build several). Counters and histograms move as things happen; the outbox and
 * database gauges are read from the database when Prometheus scrapes, so every
 * instance reports the same shared queue (take max(), not sum(), across instances).
 */
export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: "helpdesk_http_requests_total",
    help: "HTTP requests by method, route pattern and status code",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const httpSeconds = new Histogram({
    name: "helpdesk_http_request_duration_seconds",
    help: "HTTP request handling time by method and route pattern",
    labelNames: ["method", "route"] as const,
    buckets: SECONDS,
    registers: [registry],
  });
  const botUpdates = new Counter({
    name: "helpdesk_bot_updates_total",
    help: "Telegram updates handled, by kind and outcome (error: a handler threw)",
    labelNames: ["kind", "outcome"] as const,
    registers: [registry],
  });
  const botSeconds = new Histogram({
    name: "helpdesk_bot_update_duration_seconds",
    help: "Telegram update handling time by kind",
    labelNames: ["kind"] as const,
    buckets: SECONDS,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: "helpdesk_deliveries_total",
    help: "Outbox posts by outcome: sent, retried (transient failure), rate_limited (429), blocked (403), failed (dropped)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const jobs = new Counter({
    name: "helpdesk_scheduler_jobs_total",
    help: "Scheduled jobs run, by kind and outcome",
    labelNames: ["kind", "outcome"] as const,
    registers: [registry],
  });
  const sse = new Gauge({
    name: "helpdesk_sse_clients",
    help: "Open event streams (GET /api/events) on this instance",
    registers: [registry],
  });
  const { db } = opts;
  if (db) {
    new Gauge({
      name: "helpdesk_outbox_depth",
      help: "Notifications waiting to be sent (pending or sending), all instances",
      registers: [registry],
      async collect() {
        const o = await outboxState(db);
        this.set(o.depth);
      },
    });
    new Gauge({
      name: "helpdesk_outbox_oldest_age_seconds",
      help: "Age of the oldest waiting notification (0: none waiting)",
      registers: [registry],
      async collect() {
        const o = await outboxState(db);
        this.set(o.oldestAgeS);
      },
    });
    new Gauge({
      name: "helpdesk_outbox_paused_chats",
      help: "Chats Telegram paused with a 429 (nothing goes to them before retry_after)",
      registers: [registry],
      async collect() {
        const rows = await db.execute<{ n: number }>(
          sql`select count(*)::int as n from delivery_chats where paused_until > now()`,
        );
        this.set(Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0));
      },
    });
    if (opts.driver === "postgres")
      new Gauge({
        name: "helpdesk_db_connections",
        help: "Connections to this database by state (pg_stat_activity, all instances)",
        labelNames: ["state"] as const,
        registers: [registry],
        async collect() {
          const rows = await db.execute<{ state: string | null; n: number }>(
            sql`select state, count(*)::int as n from pg_stat_activity
                where datname = current_database() group by state`,
          );
          this.reset();
          for (const r of rowsOf<{ state: string | null; n: number }>(rows))
            this.set({ state: r.state ?? "unknown" }, Number(r.n));
        },
      });
  }
  // One query per scrape for depth and age (both gauges ask; the second gets the same answer).
  let pending: Promise<{ depth: number; oldestAgeS: number }> | null = null;
  function outboxState(d: Db) {
    pending ??= (async () => {
      try {
        const rows = await d.execute<{ depth: number; age: number | null }>(
          sql`select count(*)::int as depth,
                extract(epoch from now() - min(created_at))::float8 as age
              from notifications where state in ('pending', 'sending')`,
        );
        const r = rowsOf<{ depth: number; age: number | null }>(rows)[0];
        return { depth: Number(r?.depth ?? 0), oldestAgeS: Math.max(0, Number(r?.age ?? 0)) };
      } finally {
        queueMicrotask(() => {
          pending = null;
        });
      }
    })();
    return pending;
  }

  const port: MetricsPort = {
    httpRequest(method, route, status, seconds) {
      httpRequests.inc({ method, route, status: String(status) });
      httpSeconds.observe({ method, route }, seconds);
    },
    botUpdate(kind, outcome, seconds) {
      botUpdates.inc({ kind, outcome });
      botSeconds.observe({ kind }, seconds);
    },
    delivery(outcome) {
      deliveries.inc({ outcome });
    },
    job(kind, outcome) {
      jobs.inc({ kind, outcome });
    },
    sseClients(delta) {
      sse.inc(delta);
    },
  };
  return {
    port,
    registry,
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}

/** postgres.js answers an array, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
