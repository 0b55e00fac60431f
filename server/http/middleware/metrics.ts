import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { MetricsPort } from "../../domain/index.js";
import type { Metrics } from "../../metrics/registry.js";

/**
 * Counts and times every request by its route pattern (`/api/tickets/:id`): a label
 * per raw path would grow without bound. A request no route answered (the 404
 * handler, a catch-all middleware) is labelled by that catch-all's pattern.
 */
export function httpMetrics(port: MetricsPort): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      port.httpRequest(c.req.method, routeOf(c), c.res.status, (performance.now() - started) / 1000);
    }
  };
}

function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  const answered = routes[c.req.routeIndex];
  // The 404 handler answers after the last middleware: no pattern of its own.
  if (!answered || (answered.method === "ALL" && c.res.status === 404)) return "unmatched";
  return answered.path;
}

/**
 * GET /metrics: with METRICS_TOKEN set, only `Authorization: Bearer <token>`; unset,
 * only a loopback client that no proxy forwarded (a reverse proxy on the same host
 * connects from 127.0.0.1 on behalf of anyone, and says so in X-Forwarded-For).
 */
export function metricsHandler(metrics: Metrics, token: string | undefined) {
  return async (c: Context) => {
    if (!(token ? bearerMatches(c.req.header("authorization"), token) : fromLoopback(c)))
      return c.json({ code: "FORBIDDEN", message: "Forbidden" }, token ? 401 : 403);
    const { body, contentType } = await metrics.render();
    return c.body(body, 200, { "content-type": contentType, "cache-control": "no-store" });
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The socket's peer (as @hono/node-server's getConnInfo reads it), when the request has one. */
function fromLoopback(c: Context): boolean {
  if (c.req.header("x-forwarded-for") || c.req.header("forwarded") || c.req.header("x-real-ip")) return false;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const address = env?.incoming?.socket?.remoteAddress;
  return address !== undefined && isLoopback(address);
}

export function isLoopback(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}
