/**
 * What the doors and workers tell the metrics (GET /metrics). A port, so that bot/
 * (which reaches the server through this module's index only) and the workers count
 * without knowing prom-client; server/metrics/registry.ts is the real one, built
 * by server/main.ts, and `noMetrics` stands in where nothing is measured (tests).
 */
export interface MetricsPort {
  /** One HTTP request, labelled by its route pattern (`/api/tickets/:id`), not its path. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** One bot update by kind (message, callback_query, …) and whether its handlers threw. */
  botUpdate(kind: string, outcome: "ok" | "error", seconds: number): void;
  /** One outbox post's outcome (a 429 is `rate_limited`; `failed`: dropped for good). */
  delivery(outcome: DeliveryOutcome): void;
  /** One scheduled job's run. */
  job(kind: string, outcome: "ran" | "failed"): void;
  /** An event stream opened (+1) or closed (−1). */
  sseClients(delta: 1 | -1): void;
}

export type DeliveryOutcome = "sent" | "retried" | "rate_limited" | "blocked" | "failed";

export const noMetrics: MetricsPort = {
  httpRequest() {},
  botUpdate() {},
  delivery() {},
  job() {},
  sseClients() {},
};
